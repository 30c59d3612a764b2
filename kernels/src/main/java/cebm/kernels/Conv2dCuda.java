package cebm.kernels;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Tensor;
import jcuda.driver.CUdeviceptr;

import static cebm.kernels.CudaBackend.address;

/**
 * Launches the convolution kernels of conv_swish.cu, whose header gives the math and the tiling:
 * each is an implicit GEMM in which one block of {@link #THREADS} threads computes a
 * {@link #TILE} × {@link #TILE} tile of the output.
 *
 * <ul>
 *   <li>forward: tiles of (filters × output pixels), bias and Swish in the epilogue;</li>
 *   <li>input gradient: tiles of (channels × input pixels), one grid layer per stride phase;</li>
 *   <li>weight gradient: tiles of (filters × taps), the sum over the batch's output pixels split
 *       into chunks whose partial sums a second kernel adds in a fixed order.</li>
 * </ul>
 */
final class Conv2dCuda {
    private Conv2dCuda() {}

    /** conv_swish.cu's TILE, TILE_DEPTH and THREADS (KernelSourcesTest checks). */
    static final int TILE = 64, TILE_DEPTH = 16, THREADS = 256;
    /** Output pixels that one block of the weight gradient sums at least, so that its partial sums are worth writing. */
    private static final int MIN_CHUNK = 512;
    /** Blocks the weight gradient aims for: four per SM of an H200, to fill the device when its output is small. */
    private static final int TARGET_BLOCKS = 4 * 132;

    /** z = conv(x, w) + bias (bias may be null); with {@code swish} also y = swish(z). Returns {y, z}, or {z}. */
    static Tensor[] forward(CudaBackend backend, Tensor x, Tensor weight, Tensor bias, Conv2dGeometry g, boolean swish) {
        Tensor input = backend.dense(x), w = backend.dense(weight);
        // NOTE: a null device pointer tells the kernel there is no bias.
        CUdeviceptr b = bias == null ? new CUdeviceptr() : address(backend.dense(bias));
        Tensor z = backend.empty(g.outputShape());
        int columns = g.batch() * g.outHeight() * g.outWidth();
        if (!swish) {
            backend.kernel("conv_swish", "conv2d_forward").launch(tiles(columns), tiles(g.outChannels()), 1, THREADS, 1, 1, 0,
                    shape(g), address(input), address(w), b, address(z));
            return new Tensor[] {z};
        }
        Tensor y = backend.empty(g.outputShape());
        backend.kernel("conv_swish", "conv2d_bias_swish").launch(tiles(columns), tiles(g.outChannels()), 1, THREADS, 1, 1, 0,
                shape(g), address(input), address(w), b, address(z), address(y));
        return new Tensor[] {y, z};
    }

    static Tensor inputGrad(CudaBackend backend, Tensor gradOut, Tensor weight, Conv2dGeometry g) {
        Tensor dout = backend.dense(gradOut), w = backend.dense(weight);
        Tensor dx = backend.empty(g.inputShape());
        // Phase (0, 0) holds the most input pixels: ⌈H / stride⌉ · ⌈W / stride⌉ per image.
        int s = g.stride();
        int columns = g.batch() * ((g.height() + s - 1) / s) * ((g.width() + s - 1) / s);
        backend.kernel("conv_swish", "conv2d_input_grad").launch(tiles(columns), tiles(g.inChannels()), s * s, THREADS, 1, 1, 0,
                shape(g), address(dout), address(w), address(dx));
        return dx;
    }

    static Tensor weightGrad(CudaBackend backend, Tensor gradOut, Tensor x, Conv2dGeometry g) {
        int filters = g.outChannels(), taps = g.inChannels() * g.kernelH() * g.kernelW();
        int pixels = g.batch() * g.outHeight() * g.outWidth();
        if (pixels == 0) return backend.full(0f, g.weightShape());  // a sum over no output pixels
        Tensor dout = backend.dense(gradOut), input = backend.dense(x);
        int tiles = tiles(filters) * tiles(taps);
        // As many chunks as fill the device, but none shorter than MIN_CHUNK; whole depth slices each.
        int parts = Math.max(1, Math.min(ceilDiv(pixels, MIN_CHUNK), ceilDiv(TARGET_BLOCKS, tiles)));
        int chunk = ceilDiv(ceilDiv(pixels, parts), TILE_DEPTH) * TILE_DEPTH;
        parts = ceilDiv(pixels, chunk);
        Tensor partial = backend.empty(parts, filters * taps);
        backend.kernel("conv_swish", "conv2d_weight_grad").launch(tiles(taps), tiles(filters), parts, THREADS, 1, 1, 0,
                shape(g), chunk, address(dout), address(input), address(partial));
        Tensor dw = backend.empty(g.weightShape());
        long n = (long) filters * taps;
        backend.kernel("conv_swish", "sum_partials").launchLinear(n, n, parts, address(partial), address(dw));
        return dw;
    }

    /** The kernels' ConvShape: the geometry's fields, then the output size. */
    private static int[] shape(Conv2dGeometry g) {
        return new int[] {g.batch(), g.inChannels(), g.height(), g.width(), g.outChannels(), g.kernelH(), g.kernelW(),
                g.stride(), g.padding(), g.outHeight(), g.outWidth()};
    }

    private static int tiles(int n) {
        return ceilDiv(n, TILE);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
