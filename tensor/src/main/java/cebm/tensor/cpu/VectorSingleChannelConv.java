package cebm.tensor.cpu;

import cebm.tensor.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The forward pass of a 3×3, stride-1 convolution over one input channel (the first layer of the
 * MNIST networks), computed directly rather than by im2col and GEMM:
 * {@code z[f, oy, ox] = Σ_{i,j} w[f, i, j] · xpad[oy + i, ox + j] + b[f]}, and y = swish(z), a
 * vector of output pixels at a time, written straight to the NCHW outputs.
 *
 * <p>With one channel the GEMM's depth is only KH·KW (9), so its multiply-adds are a small part
 * of the layer; the time goes to memory traffic: writing z and y (51 MB for the MNIST encoder at
 * batch 128), and on the im2col path also a buffer of GEMM rows, 430 KB per image, that is then
 * copied row by row into z and y. Here each filter's output plane (3 KB for 28 × 28) is made in
 * L1 and written once. The sums run in the same order as in the GEMM (taps in order, from zero,
 * then the bias), so both paths give the same bits (Conv2dCpuTest checks it).
 *
 * <p>A row of output wider than a vector ends in a vector that overlaps the one before it; the
 * overlapping pixels are computed twice, with the same arithmetic, and stored twice with the same
 * value.
 */
final class VectorSingleChannelConv {
    private VectorSingleChannelConv() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** A task's zero-padded image, grown on demand. */
    private static final ScratchPool<float[][]> PADDED = new ScratchPool<>(() -> new float[1][0]);

    /** One input channel, a 3×3 kernel, stride 1, and output rows at least a vector wide. */
    static boolean handles(Conv2dGeometry g) {
        return g.inChannels() == 1 && g.kernelH() == 3 && g.kernelW() == 3 && g.stride() == 1 && g.outWidth() >= VL;
    }

    /**
     * z = conv(x, w) + b; when {@code swishOut} is non-null also y = swish(z).
     * NOTE: the vector code sits in {@link #sumsOfTaps}, which takes and returns no vectors, with
     * the nine taps written out, so that no vector crosses a call or is carried through a loop.
     * The JIT of JDK 17 boxes vectors in both places unless it inlines the call or unrolls the
     * loop, and each earlier version that let it decide ran two to ten times slower than the
     * im2col path. For the same reason Swish runs in its own loop over the whole plane
     * ({@link Elementwise#biasSwish}).
     */
    static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z, float[] swishOut) {
        int pad = g.padding(), paddedW = g.width() + 2 * pad, paddedH = g.height() + 2 * pad;
        int oh = g.outHeight(), ow = g.outWidth();
        PADDED.forEach(g.batch(), (holder, n) -> {
            if (holder[0].length < paddedH * paddedW) holder[0] = new float[paddedH * paddedW];
            float[] padded = holder[0];
            Arrays.fill(padded, 0, paddedH * paddedW, 0f);
            for (int row = 0; row < g.height(); row++) {
                System.arraycopy(x, (n * g.height() + row) * g.width(), padded, (row + pad) * paddedW + pad, g.width());
            }
            for (int f = 0; f < g.outChannels(); f++) {
                int out = (n * g.outChannels() + f) * oh * ow;
                sumsOfTaps(padded, paddedW, w, f * 9, z, out, oh, ow);
                // The whole plane of filter f, still in L1: bias, and Swish as in the GEMM's epilogue.
                Elementwise.biasSwish(z, out, swishOut, out, oh * ow, bias == null ? 0f : bias[f]);
            }
        });
    }

    /**
     * {@code z[out + oy·ow + ox] = Σ_{i,j} w[w0 + i·3 + j] · padded[(oy + i)·rowLength + ox + j]}
     * over a plane of outputs, a vector at a time, from zero with the taps in order.
     */
    private static void sumsOfTaps(float[] padded, int rowLength, float[] w, int w0, float[] z, int out, int oh, int ow) {
        FloatVector w00 = FloatVector.broadcast(SPECIES, w[w0]), w01 = FloatVector.broadcast(SPECIES, w[w0 + 1]),
                w02 = FloatVector.broadcast(SPECIES, w[w0 + 2]), w10 = FloatVector.broadcast(SPECIES, w[w0 + 3]),
                w11 = FloatVector.broadcast(SPECIES, w[w0 + 4]), w12 = FloatVector.broadcast(SPECIES, w[w0 + 5]),
                w20 = FloatVector.broadcast(SPECIES, w[w0 + 6]), w21 = FloatVector.broadcast(SPECIES, w[w0 + 7]),
                w22 = FloatVector.broadcast(SPECIES, w[w0 + 8]);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox += VL) {
                int start = Math.min(ox, ow - VL), r0 = oy * rowLength + start, r1 = r0 + rowLength, r2 = r1 + rowLength;
                FloatVector sum = FloatVector.zero(SPECIES);
                sum = FloatVector.fromArray(SPECIES, padded, r0).fma(w00, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r0 + 1).fma(w01, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r0 + 2).fma(w02, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1).fma(w10, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1 + 1).fma(w11, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1 + 2).fma(w12, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2).fma(w20, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2 + 1).fma(w21, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2 + 2).fma(w22, sum);
                sum.intoArray(z, out + oy * ow + start);
            }
        }
    }
}
