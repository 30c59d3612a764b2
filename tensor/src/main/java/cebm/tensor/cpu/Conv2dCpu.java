package cebm.tensor.cpu;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.UnaryOp;

import java.util.stream.IntStream;

/**
 * 2-D convolution on the CPU by im2col + GEMM, in parallel over the images of the batch.
 *
 * <p>For one image, im2col unrolls the input patches into a matrix
 * {@code cols [C·KH·KW, OH·OW]}; then
 * <ul>
 *   <li>forward: {@code out [F, OH·OW] = W [F, C·KH·KW] · cols} (+ bias, Swish in the epilogue);</li>
 *   <li>input gradient: {@code dcols = Wᵀ · dout}, then col2im adds each column back onto the
 *       pixels it came from;</li>
 *   <li>weight gradient: {@code dW += dout · colsᵀ}, summed over the batch.</li>
 * </ul>
 * All arrays are dense NCHW.
 */
final class Conv2dCpu {
    private Conv2dCpu() {}

    /**
     * z = conv(x, w) + b; when {@code swishOut} is non-null also y = swish(z) (the fused layer).
     */
    static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z, float[] swishOut) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW();
        int pixels = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.height() * g.width();
        int outSize = g.outChannels() * pixels;
        IntStream.range(0, g.batch()).parallel().forEach(n -> {
            float[] cols = new float[patch * pixels];
            im2col(g, x, n * inSize, cols);
            Gemm.multiply(false, false, g.outChannels(), pixels, patch, w, 0, cols, 0, z, n * outSize, false);
            for (int f = 0; f < g.outChannels(); f++) {
                int row = n * outSize + f * pixels;
                float b = bias == null ? 0f : bias[f];
                for (int p = 0; p < pixels; p++) {
                    float v = z[row + p] + b;
                    z[row + p] = v;
                    if (swishOut != null) swishOut[row + p] = v * UnaryOp.sigmoid(v);
                }
            }
        });
    }

    static void inputGrad(Conv2dGeometry g, float[] gradOut, float[] w, float[] gradIn) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW();
        int pixels = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.height() * g.width();
        int outSize = g.outChannels() * pixels;
        IntStream.range(0, g.batch()).parallel().forEach(n -> {
            float[] cols = new float[patch * pixels];
            Gemm.multiply(true, false, patch, pixels, g.outChannels(), w, 0, gradOut, n * outSize, cols, 0, false);
            col2im(g, cols, gradIn, n * inSize);
        });
    }

    static void weightGrad(Conv2dGeometry g, float[] gradOut, float[] x, float[] gradW) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW();
        int pixels = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.height() * g.width();
        int outSize = g.outChannels() * pixels;
        int workers = Math.min(g.batch(), Runtime.getRuntime().availableProcessors());
        // NOTE: each worker sums its share of the batch into its own buffer; the buffers are added
        // in a fixed order afterwards, so the result does not depend on thread timing.
        float[][] partial = new float[workers][gradW.length];
        IntStream.range(0, workers).parallel().forEach(t -> {
            float[] cols = new float[patch * pixels];
            for (int n = t; n < g.batch(); n += workers) {
                im2col(g, x, n * inSize, cols);
                Gemm.multiply(false, true, g.outChannels(), patch, pixels, gradOut, n * outSize, cols, 0, partial[t], 0, true);
            }
        });
        java.util.Arrays.fill(gradW, 0f);
        for (float[] p : partial) for (int i = 0; i < gradW.length; i++) gradW[i] += p[i];
    }

    /** cols[(c·KH + i)·KW + j, oy·OW + ox] = x[c, oy·s − pad + i, ox·s − pad + j], zero outside the image. */
    static void im2col(Conv2dGeometry g, float[] x, int xOff, float[] cols) {
        int oh = g.outHeight(), ow = g.outWidth(), s = g.stride(), pad = g.padding();
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s - pad + i;
                        boolean rowInside = iy >= 0 && iy < g.height();
                        int src = xOff + (c * g.height() + iy) * g.width();
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * s - pad + j;
                            cols[base + oy * ow + ox] = rowInside && ix >= 0 && ix < g.width() ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: every column entry is added back onto the input pixel it was read from. */
    static void col2im(Conv2dGeometry g, float[] cols, float[] x, int xOff) {
        int oh = g.outHeight(), ow = g.outWidth(), s = g.stride(), pad = g.padding();
        java.util.Arrays.fill(x, xOff, xOff + g.inChannels() * g.height() * g.width(), 0f);
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, row++) {
                    int base = row * oh * ow;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s - pad + i;
                        if (iy < 0 || iy >= g.height()) continue;
                        int dst = xOff + (c * g.height() + iy) * g.width();
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * s - pad + j;
                            if (ix >= 0 && ix < g.width()) x[dst + ix] += cols[base + oy * ow + ox];
                        }
                    }
                }
            }
        }
    }
}
