package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.elementwise.Elementwise;
import cebm.tensor.cpu.elementwise.VectorActivations;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward pass and the input gradient of a 3×3, stride-1 convolution over one input channel
 * (the first layer of the MNIST networks), computed directly rather than by im2col and GEMM. The
 * forward pass:
 * {@code z[f, oy, ox] = Σ_{i,j} w[f, i, j] · xpad[oy + i, ox + j] + b[f]}, and y = swish(z), a
 * vector of output pixels at a time, written straight to the NCHW outputs.
 *
 * <p>With one channel the GEMM's depth is only KH·KW (9), so its multiply-adds are a small part
 * of the layer; on the im2col path the work around them dominates, above all a buffer of GEMM
 * rows, 430 KB per image, copied row by row into z and y. Here each filter's output plane
 * (3 KB for 28 × 28) is made in L1 and written once. What is left is mostly Swish's arithmetic
 * (an exponential and a division per element), beside which writing z is cheap: recomputing z in
 * the backward pass instead would save nothing, so z is written. The sums run in the same order
 * as in the GEMM (taps in order, from zero, then the bias), so both paths give the same bits
 * (Conv2dCpuTest checks it).
 *
 * <p>A row of output wider than a vector ends in a vector that overlaps the one before it; the
 * overlapping pixels are computed twice, with the same arithmetic, and stored twice with the same
 * value.
 */
final class VectorSingleChannelConv {
    private VectorSingleChannelConv() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /**
     * One input channel, a 3×3 kernel, stride 1, output rows at least a vector wide, and padding
     * of at most 2 (wider padding only adds rows and columns of zeros, which the gradient's
     * turned kernel would have to skip).
     */
    static boolean handles(Conv2dGeometry g) {
        return g.inChannels() == 1 && g.kernelH() == 3 && g.kernelW() == 3 && g.stride() == 1 && g.outWidth() >= VL
                && g.padding() <= 2;
    }

    /**
     * z = conv(x, w) + b; when {@code swishOut} is non-null also y = swish(z).
     * NOTE: the vector code sits in {@link #sumsOfTaps}, which takes and returns no vectors, with
     * the nine taps written out, so that no vector crosses a call or is carried through a loop.
     * The JIT of JDK 17 boxes vectors in both places unless it inlines the call or unrolls the
     * loop, and boxed vectors would make this path slower than the im2col path it replaces. For
     * the same reason Swish runs in its own loop over the whole plane
     * ({@link Elementwise#biasSwish}).
     */
    static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z, float[] swishOut) {
        int pad = g.padding(), paddedW = g.width() + 2 * pad, paddedH = g.height() + 2 * pad;
        int oh = g.outHeight(), ow = g.outWidth();
        Conv2dCpu.SCRATCH.forEach(g.batch(), (scratch, n) -> {
            float[] padded = scratch.planes(paddedH * paddedW);
            Arrays.fill(padded, 0, paddedH * paddedW, 0f);
            for (int row = 0; row < g.height(); row++) {
                System.arraycopy(x, (n * g.height() + row) * g.width(), padded, (row + pad) * paddedW + pad, g.width());
            }
            for (int f = 0; f < g.outChannels(); f++) {
                int out = (n * g.outChannels() + f) * oh * ow;
                sumsOfTaps(padded, paddedW, w, f * 9, false, z, out, oh, ow, false);
                // The whole plane of filter f, still in L1: bias, and Swish as in the GEMM's epilogue.
                Elementwise.biasSwish(z, out, swishOut, out, oh * ow, bias == null ? 0f : bias[f]);
            }
        });
    }

    /**
     * The input gradient, {@code dx[y, x] = Σ_f Σ_{i,j} w[f, i, j] · dout[f, y + pad − i, x + pad − j]}:
     * with the output gradient zero-padded by {@code 2 − pad} on each side that is again a 3×3
     * correlation, with the kernel turned by 180°, summed over the filters. The sums grow in an
     * L1-resident plane whose rows are a whole number of vectors wide, since the overlapping last
     * vector of {@link #forward} would add its pixels twice; its rows go to dx at the end.
     *
     * <p>On the im2col path this layer's gradient is a GEMM only 9 rows deep (C·KH·KW = 9),
     * padded to 16 by the micro-kernel, behind a copy of all 64 output-gradient planes into GEMM
     * rows; here each plane is read once, straight into the padded buffer.
     *
     * <p>With {@code z} non-null, {@code gradOut} is ∂L/∂y of the fused layer and the rows enter
     * the buffer as ∂L/∂z = ∂L/∂y · swish'(z) ({@link VectorActivations#swishBackwardRow}).
     */
    static void inputGrad(Conv2dGeometry g, float[] gradOut, float[] z, float[] w, float[] gradIn) {
        int border = 2 - g.padding(), oh = g.outHeight(), ow = g.outWidth(), h = g.height(), width = g.width();
        int sumsW = (width + VL - 1) / VL * VL, paddedW = sumsW + 2, paddedH = oh + 2 * border;
        Conv2dCpu.SCRATCH.forEach(g.batch(), (scratch, n) -> {
            float[] padded = scratch.planes(paddedH * paddedW), sums = scratch.rows(h * sumsW);
            // The border and the columns past the last output stay zero: only the rows' insides are copied below.
            Arrays.fill(padded, 0, paddedH * paddedW, 0f);
            for (int f = 0; f < g.outChannels(); f++) {
                int plane = (n * g.outChannels() + f) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int from = plane + oy * ow, to = (oy + border) * paddedW + border;
                    if (z == null) System.arraycopy(gradOut, from, padded, to, ow);
                    else VectorActivations.swishBackwardRow(gradOut, z, from, padded, to, ow);
                }
                sumsOfTaps(padded, paddedW, w, f * 9, true, sums, 0, h, sumsW, f > 0);
            }
            for (int y = 0; y < h; y++) System.arraycopy(sums, y * sumsW, gradIn, (n * h + y) * width, width);
        });
    }

    /**
     * {@code out[off + r·width + c] (+)= Σ_{i,j} k[i, j] · padded[(r + i)·rowLength + c + j]} over
     * a plane of {@code rows × width}, a vector at a time, the taps in order; {@code k} is filter
     * {@code w[w0 .. w0 + 8]}, turned by 180° when {@code turned}. Without {@code accumulate} the
     * sums start from zero and a row wider than a vector may end in a vector overlapping the one
     * before it; with it they start from {@code out}, and width must be a whole number of vectors.
     */
    private static void sumsOfTaps(float[] padded, int rowLength, float[] w, int w0, boolean turned,
                                   float[] out, int off, int rows, int width, boolean accumulate) {
        FloatVector w00 = tap(w, w0, 0, turned), w01 = tap(w, w0, 1, turned), w02 = tap(w, w0, 2, turned),
                w10 = tap(w, w0, 3, turned), w11 = tap(w, w0, 4, turned), w12 = tap(w, w0, 5, turned),
                w20 = tap(w, w0, 6, turned), w21 = tap(w, w0, 7, turned), w22 = tap(w, w0, 8, turned);
        int r = 0;
        // Two output rows at a time: the four padded rows they read are loaded once each (12
        // loads for 18 multiply-adds, against 18), and each sum still takes its taps in order.
        for (; r + 1 < rows; r += 2) {
            for (int c = 0; c < width; c += VL) {
                int start = Math.min(c, width - VL), r0 = r * rowLength + start, r1 = r0 + rowLength;
                int r2 = r1 + rowLength, r3 = r2 + rowLength, at = off + r * width + start, below = at + width;
                FloatVector upper = accumulate ? FloatVector.fromArray(SPECIES, out, at) : FloatVector.zero(SPECIES);
                FloatVector lower = accumulate ? FloatVector.fromArray(SPECIES, out, below) : FloatVector.zero(SPECIES);
                FloatVector left = FloatVector.fromArray(SPECIES, padded, r0), mid = FloatVector.fromArray(SPECIES, padded, r0 + 1),
                        right = FloatVector.fromArray(SPECIES, padded, r0 + 2);
                upper = right.fma(w02, mid.fma(w01, left.fma(w00, upper)));
                left = FloatVector.fromArray(SPECIES, padded, r1);
                mid = FloatVector.fromArray(SPECIES, padded, r1 + 1);
                right = FloatVector.fromArray(SPECIES, padded, r1 + 2);
                upper = right.fma(w12, mid.fma(w11, left.fma(w10, upper)));
                lower = right.fma(w02, mid.fma(w01, left.fma(w00, lower)));
                left = FloatVector.fromArray(SPECIES, padded, r2);
                mid = FloatVector.fromArray(SPECIES, padded, r2 + 1);
                right = FloatVector.fromArray(SPECIES, padded, r2 + 2);
                upper = right.fma(w22, mid.fma(w21, left.fma(w20, upper)));
                lower = right.fma(w12, mid.fma(w11, left.fma(w10, lower)));
                left = FloatVector.fromArray(SPECIES, padded, r3);
                mid = FloatVector.fromArray(SPECIES, padded, r3 + 1);
                right = FloatVector.fromArray(SPECIES, padded, r3 + 2);
                lower = right.fma(w22, mid.fma(w21, left.fma(w20, lower)));
                upper.intoArray(out, at);
                lower.intoArray(out, below);
            }
        }
        for (; r < rows; r++) {
            for (int c = 0; c < width; c += VL) {
                int start = Math.min(c, width - VL), r0 = r * rowLength + start, r1 = r0 + rowLength, r2 = r1 + rowLength;
                int at = off + r * width + start;
                FloatVector sum = accumulate ? FloatVector.fromArray(SPECIES, out, at) : FloatVector.zero(SPECIES);
                sum = FloatVector.fromArray(SPECIES, padded, r0).fma(w00, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r0 + 1).fma(w01, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r0 + 2).fma(w02, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1).fma(w10, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1 + 1).fma(w11, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r1 + 2).fma(w12, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2).fma(w20, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2 + 1).fma(w21, sum);
                sum = FloatVector.fromArray(SPECIES, padded, r2 + 2).fma(w22, sum);
                sum.intoArray(out, at);
            }
        }
    }

    /** Tap t = 3i + j of the filter at w0, broadcast; turned by 180° it is tap 8 − t. */
    private static FloatVector tap(float[] w, int w0, int t, boolean turned) {
        return FloatVector.broadcast(SPECIES, w[w0 + (turned ? 8 - t : t)]);
    }
}
