package cebm.tensor.cpu;

import cebm.tensor.BinaryOp;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.conv.Conv2dCpu;
import cebm.tensor.cpu.elementwise.Activations;
import cebm.tensor.cpu.gemm.Gemm;
import cebm.tensor.cpu.reference.ReferenceBackend;
import cebm.tensor.cpu.reference.StridedIndex;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The fast CPU backend: the {@link ReferenceBackend} (float arrays on the Java heap), with fast
 * paths where the CEBM spends its time. The convolutions go to {@link Conv2dCpu} (im2col and a
 * packed GEMM, on all cores), the matrix product to {@link Gemm}; the fused ops of
 * {@link cebm.tensor.Backend} are one pass over memory each instead of the reference's chain of
 * elementwise ops. Everything it does not override is the reference's code.
 */
public final class CpuBackend extends ReferenceBackend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    // ---- elementwise ----

    /** Same-shape contiguous operands, and a scalar right operand, without the general strided walk. */
    @Override
    public Tensor zip(BinaryOp op, Tensor a, Tensor b, int[] outShape) {
        int n = Shape.numel(outShape);
        float[] out = Workspace.allocateForOverwrite(n);
        float[] da = data(a), db = data(b);
        boolean sameShape = Arrays.equals(a.shape(), outShape) && Arrays.equals(b.shape(), outShape);
        if (sameShape && a.isContiguous() && b.isContiguous()) {
            int oa = a.offset(), ob = b.offset();
            for (int i = 0; i < n; i++) out[i] = op.apply(da[oa + i], db[ob + i]);
        } else if (b.numel() == 1 && a.isContiguous() && Arrays.equals(a.shape(), outShape)) {
            int oa = a.offset();
            float s = db[b.offset()];
            for (int i = 0; i < n; i++) out[i] = op.apply(da[oa + i], s);
        } else {
            int[] ia = StridedIndex.offsets(outShape, Shape.broadcastStrides(a.shape(), a.strides(), outShape), a.offset());
            int[] ib = StridedIndex.offsets(outShape, Shape.broadcastStrides(b.shape(), b.strides(), outShape), b.offset());
            for (int i = 0; i < n; i++) out[i] = op.apply(da[ia[i]], db[ib[i]]);
        }
        return fromArray(out, outShape);
    }

    @Override
    public Tensor swishBackward(Tensor gradY, Tensor z) {
        int n = z.numel();
        float[] out = Workspace.allocateForOverwrite(n);
        Activations.swishBackward(dense(gradY), dense(z), out, n);
        return fromArray(out, z.shape());
    }

    // ---- linear algebra and convolution ----

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int[] sa = a.shape(), sb = b.shape();
        int batch = sa.length == 3 ? sa[0] : 1;
        int m = sa[sa.length - 2], k = sa[sa.length - 1], n = sb[sb.length - 1];
        // NOTE: a transposed view (the weight of a linear layer) is read in place, without a copy.
        boolean transB = isTransposedMatrix(b);
        float[] da = dense(a);
        float[] db = transB ? dense(b.transpose(-1, -2)) : dense(b);
        float[] out = Workspace.allocateForOverwrite(batch * m * n); // the GEMM overwrites C
        IntStream.range(0, batch).parallel().forEach(i ->
                Gemm.multiply(false, transB, m, n, k, da, i * m * k, db, i * k * n, out, i * m * n, false));
        int[] outShape = sa.length == 3 ? new int[] {batch, m, n} : new int[] {m, n};
        return fromArray(out, outShape);
    }

    private static boolean isTransposedMatrix(Tensor t) {
        return !t.isContiguous() && t.transpose(-1, -2).isContiguous();
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        float[] z = Workspace.allocateForOverwrite(Shape.numel(g.outputShape()));
        Conv2dCpu.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), z, null);
        return fromArray(z, g.outputShape());
    }

    @Override
    public Tensor[] conv2dBiasSwish(Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g) {
        float[] z = Workspace.allocateForOverwrite(Shape.numel(g.outputShape()));
        float[] y = Workspace.allocateForOverwrite(z.length);
        Conv2dCpu.forward(g, dense(x), dense(weight), bias == null ? null : dense(bias), z, y);
        return new Tensor[] {fromArray(y, g.outputShape()), fromArray(z, g.outputShape())};
    }

    @Override
    public Tensor conv2dSwishInputGrad(Tensor gradY, Tensor z, Tensor weight, Conv2dGeometry g) {
        return inputGrad(gradY, dense(z), weight, g);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        return inputGrad(gradOut, null, weight, g);
    }

    /** {@link Conv2dCpu#inputGrad}: with z, of the fused layer, Swish's backward pass on the fly. */
    private Tensor inputGrad(Tensor gradOut, float[] z, Tensor weight, Conv2dGeometry g) {
        float[] dx = Workspace.allocateForOverwrite(Shape.numel(g.inputShape()));
        Conv2dCpu.inputGrad(g, dense(gradOut), z, dense(weight), dx);
        return fromArray(dx, g.inputShape());
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor gradOut, Tensor x, Conv2dGeometry g) {
        float[] dw = Workspace.allocateForOverwrite(Shape.numel(g.weightShape()));
        Conv2dCpu.weightGrad(g, dense(gradOut), dense(x), dw);
        return fromArray(dw, g.weightShape());
    }

    // ---- the conjugate model's hot spots ----

    @Override
    public Tensor logNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCpu.forward(t1, t2, lambda1, lambda2);
    }

    @Override
    public Tensor[] logNormalizerGrad(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        return LogNormalizerCpu.gradient(g, t1, t2, lambda1, lambda2);
    }

    @Override
    public void sgldUpdate(Tensor x, Tensor grad, float step, float noiseStd, long seed, long counter) {
        if (!x.isContiguous()) throw new IllegalArgumentException("sgldUpdate: chains " + x + " must be contiguous");
        float[] dx = data(x), dg = dense(grad);
        int n = x.numel(), off = x.offset();
        float[] noise = Workspace.allocateForOverwrite(n);
        fillNormal(noise, 0, n, seed, counter);
        for (int i = 0; i < n; i++) dx[off + i] = dx[off + i] - step * dg[i] + noiseStd * noise[i];
    }

    @Override
    public void adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v,
                           float lr, float beta1, float beta2, float eps, int step) {
        float[] p = data(param), g = dense(grad), dm = data(m), dv = data(v);
        // Bias corrections of Kingma & Ba (2015): the moments start at zero and are rescaled.
        double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
        int po = param.offset(), mo = m.offset(), vo = v.offset();
        for (int i = 0; i < param.numel(); i++) {
            dm[mo + i] = beta1 * dm[mo + i] + (1 - beta1) * g[i];
            dv[vo + i] = beta2 * dv[vo + i] + (1 - beta2) * g[i] * g[i];
            double mHat = dm[mo + i] / c1, vHat = dv[vo + i] / c2;
            p[po + i] -= (float) (lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }
}
