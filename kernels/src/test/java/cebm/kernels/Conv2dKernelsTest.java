package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The kernels of conv_swish.cu equal the CPU backend's convolution: forward (z, y = swish(z), and
 * the plain convolution with and without bias), input gradient and weight gradient, on every
 * layer of the spec's three encoders, on odd shapes and at batch 1.
 *
 * <p>Tolerance: both sides sum n float32 products (n = C·KH·KW forward, F·KH·KW for the input
 * gradient, N·OH·OW for the weight gradient) in different orders. With random signs the rounding
 * error of such a sum grows like u·√n relative (u = 6e-8), so 1e-7·√n bounds it with a margin, and
 * never less than 1e-5, which also covers expf against the CPU's exp in the Swish epilogue.
 */
@GpuTest
class Conv2dKernelsTest {
    private final Backend cuda = new CudaBackendProvider().backend();
    private final Backend cpu = CpuBackend.INSTANCE;

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7} pad {8}")
    @CsvSource({
            // batch, channels, height, width, filters, kernel height, kernel width, stride, padding
            // MNIST, the paper's encoder: 1 → 64 → 64 → 32 → 32 at 28, 28, 14, 7.
            "3, 1, 28, 28, 64, 3, 3, 1, 1",
            "3, 64, 28, 28, 64, 4, 4, 2, 1",
            "3, 64, 14, 14, 32, 4, 4, 2, 1",
            "3, 32, 7, 7, 32, 4, 4, 2, 1",
            // CIFAR-10: 3 → 64 → 128 → 256 → 512 at 32, 32, 16, 8.
            "2, 3, 32, 32, 64, 3, 3, 1, 1",
            "2, 64, 32, 32, 128, 4, 4, 2, 1",
            "2, 128, 16, 16, 256, 4, 4, 2, 1",
            "2, 256, 8, 8, 512, 4, 4, 2, 1",
            // The authors' default: 1 → 32 → 32 → 64 → 64.
            "4, 1, 28, 28, 32, 3, 3, 1, 1",
            "4, 32, 28, 28, 32, 4, 4, 2, 1",
            "4, 32, 14, 14, 64, 4, 4, 2, 1",
            "4, 64, 7, 7, 64, 4, 4, 2, 1",
            // The MNIST encoder at the training batch: long weight-gradient sums, split over many blocks.
            "128, 1, 28, 28, 64, 3, 3, 1, 1",
            "128, 64, 28, 28, 64, 4, 4, 2, 1",
            "128, 64, 14, 14, 32, 4, 4, 2, 1",
            "128, 32, 7, 7, 32, 4, 4, 2, 1",
            // Odd shapes: a 5×7 image, 3 → 5 channels, the three kernels, batch 1 and 2.
            "1, 3, 5, 7, 5, 3, 3, 1, 1",
            "2, 3, 5, 7, 5, 4, 4, 2, 1",
            "1, 3, 5, 7, 5, 2, 2, 1, 0",
            // Channels and filters one past a 64-wide tile; a rectangular kernel with stride 3.
            "2, 65, 9, 9, 65, 3, 3, 1, 1",
            "2, 3, 7, 5, 4, 3, 2, 3, 2",
            // A 1×1 image with stride 2: three of the input gradient's four phases hold no pixel.
            "1, 2, 1, 1, 3, 1, 1, 2, 0",
            // Padding wider than the kernel: whole output rows see only zeros.
            "1, 2, 4, 5, 3, 3, 2, 1, 3",
    })
    void equalsTheCpu(int batch, int channels, int height, int width, int filters, int kernelH, int kernelW,
                      int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {batch, channels, height, width},
                new int[] {filters, channels, kernelH, kernelW}, stride, padding);
        RandomStream random = new RandomStream(batch * 1000L + channels * 10L + kernelH);
        Tensor x = random.uniform(cpu, -1f, 1f, g.inputShape());
        Tensor w = random.uniform(cpu, -1f, 1f, g.weightShape());
        Tensor bias = random.uniform(cpu, -1f, 1f, filters);
        Tensor gradOut = random.uniform(cpu, -1f, 1f, g.outputShape());
        Tensor dx = x.to(cuda), dw = w.to(cuda), dbias = bias.to(cuda), dgradOut = gradOut.to(cuda);

        double forward = tolerance(channels * kernelH * kernelW);
        Tensor[] expected = cpu.conv2dBiasSwish(x, w, bias, g), actual = cuda.conv2dBiasSwish(dx, dw, dbias, g);
        Compare.close("y = swish(z)", expected[0], actual[0], forward);
        Compare.close("z", expected[1], actual[1], forward);
        Compare.close("conv2d with bias", cpu.conv2d(x, w, bias, g), cuda.conv2d(dx, dw, dbias, g), forward);
        Compare.close("conv2d without bias", cpu.conv2d(x, w, null, g), cuda.conv2d(dx, dw, null, g), forward);
        Compare.close("input gradient", cpu.conv2dInputGrad(gradOut, w, g), cuda.conv2dInputGrad(dgradOut, dw, g),
                tolerance(filters * kernelH * kernelW));
        Compare.close("weight gradient", cpu.conv2dWeightGrad(gradOut, x, g), cuda.conv2dWeightGrad(dgradOut, dx, g),
                tolerance(batch * g.outHeight() * g.outWidth()));
    }

    /** Non-contiguous inputs are read as the tensors they show (the backend copies them dense first). */
    @Test
    void viewsGiveTheSameResults() {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {2, 3, 6, 5}, new int[] {4, 3, 3, 3}, 1, 1);
        RandomStream random = new RandomStream(3);
        // Data laid out [C, N, H, W] (and [F, N, OH, OW]), seen as [N, C, H, W] through a permutation.
        Tensor xData = random.uniform(cpu, -1f, 1f, 3, 2, 6, 5), gradOutData = random.uniform(cpu, -1f, 1f, 4, 2, 6, 5);
        Tensor x = xData.permute(1, 0, 2, 3), gradOut = gradOutData.permute(1, 0, 2, 3);
        Tensor dx = xData.to(cuda).permute(1, 0, 2, 3), dgradOut = gradOutData.to(cuda).permute(1, 0, 2, 3);
        Tensor w = random.uniform(cpu, -1f, 1f, g.weightShape()), bias = random.uniform(cpu, -1f, 1f, 4);
        Tensor dw = w.to(cuda), dbias = bias.to(cuda);
        double tolerance = 1e-5;  // sums of at most 60 terms; see the class comment
        Compare.close("z of a view", cpu.conv2dBiasSwish(x, w, bias, g)[1], cuda.conv2dBiasSwish(dx, dw, dbias, g)[1], tolerance);
        Compare.close("input gradient of a view", cpu.conv2dInputGrad(gradOut, w, g), cuda.conv2dInputGrad(dgradOut, dw, g), tolerance);
        Compare.close("weight gradient of views", cpu.conv2dWeightGrad(gradOut, x, g), cuda.conv2dWeightGrad(dgradOut, dx, g), tolerance);
    }

    /** Every sum runs in a fixed order (no atomics): the same inputs give bit-identical gradients. */
    @Test
    void deterministic() {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {128, 64, 14, 14}, new int[] {32, 64, 4, 4}, 2, 1);
        RandomStream random = new RandomStream(9);
        Tensor x = random.uniform(cpu, -1f, 1f, g.inputShape()).to(cuda), w = random.uniform(cpu, -1f, 1f, g.weightShape()).to(cuda);
        Tensor gradOut = random.uniform(cpu, -1f, 1f, g.outputShape()).to(cuda);
        assertArrayEquals(cuda.conv2dWeightGrad(gradOut, x, g).toArray(), cuda.conv2dWeightGrad(gradOut, x, g).toArray());
        assertArrayEquals(cuda.conv2dInputGrad(gradOut, w, g).toArray(), cuda.conv2dInputGrad(gradOut, w, g).toArray());
    }

    private static double tolerance(int terms) {
        return Math.max(1e-5, 1e-7 * Math.sqrt(terms));
    }
}
