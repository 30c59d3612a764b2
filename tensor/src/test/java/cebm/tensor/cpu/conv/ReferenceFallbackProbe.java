package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.TestArrays;
import cebm.tensor.cpu.elementwise.Activations;
import cebm.tensor.cpu.gemm.Gemm;
import cebm.tensor.cpu.parallel.VectorApi;

import java.util.Random;

/**
 * Run by {@link ReferenceFallbackTest} in a JVM started without {@code jdk.incubator.vector}:
 * the GEMM and the convolution must fall back to the reference code without ever loading a
 * Vector API class. Prints the GEMM in use, then "ok"; exits non-zero on any failure.
 */
final class ReferenceFallbackProbe {
    private ReferenceFallbackProbe() {}

    public static void main(String[] args) {
        if (VectorApi.AVAILABLE) throw new AssertionError("this JVM has the Vector API module");
        System.out.println(Gemm.implementation());

        Conv2dGeometry g = Conv2dGeometry.of("probe", new int[] {3, 4, 7, 7}, new int[] {5, 4, 4, 4}, 2, 1);
        Random random = new Random(1);
        float[] x = TestArrays.uniform(random, 3 * 4 * 7 * 7), w = TestArrays.uniform(random, 5 * 4 * 16);
        float[] bias = TestArrays.uniform(random, 5);
        float[] z = new float[3 * 5 * g.outHeight() * g.outWidth()], y = new float[z.length];
        float[] dx = new float[x.length], dw = new float[w.length];
        Conv2dCpu.forward(g, x, w, bias, z, y);
        Conv2dCpu.inputGrad(g, y, null, w, dx);
        // The fused layer's input gradient, with Swish's backward pass on the fly.
        float[] dxOfSwish = new float[x.length], gradZ = new float[z.length];
        Conv2dCpu.inputGrad(g, y, z, w, dxOfSwish);
        for (int i = 0; i < z.length; i++) gradZ[i] = y[i] * Activations.swishDerivative(z[i]);
        Conv2dCpu.weightGrad(g, y, x, dw);
        check("z", z, ReferenceConvolution.forward(g, x, w, bias));
        check("input gradient", dx, ReferenceConvolution.inputGrad(g, y, w));
        check("input gradient through Swish", dxOfSwish, ReferenceConvolution.inputGrad(g, gradZ, w));
        check("weight gradient", dw, ReferenceConvolution.weightGrad(g, y, x));
        System.out.println("ok");
    }

    private static void check(String what, float[] actual, float[] expected) {
        double error = TestArrays.relativeError(actual, 0, expected, 0, expected.length);
        if (!(error <= 1e-5)) throw new AssertionError(what + ": relative error " + error);
    }
}
