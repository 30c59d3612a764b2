package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.UnaryOp;
import cebm.tensor.cpu.TestArrays;
import cebm.tensor.cpu.elementwise.Activations;
import cebm.tensor.cpu.gemm.CacheLines;
import cebm.tensor.cpu.parallel.VectorApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Conv2dCpu} (im2col + fast GEMM, grouped images, vector epilogue) equals the direct
 * seven-loop convolution of {@link ReferenceConvolution}, forward (z and y = swish(z)), input gradient
 * and weight gradient.
 *
 * <p>Tolerance 1e-5 relative (Frobenius norm): the naive sums run in double, the fast ones in
 * float32 over at most a few thousand terms, which rounds to about 1e-6 relative; the vector
 * exponential in the Swish epilogue is within a few ulps of {@code Math.exp}.
 */
class Conv2dCpuTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "x[{0},{1},{2},{3}] w[{4},{1},{5},{6}] stride {7} pad {8}")
    @CsvSource({
            // batch, channels, height, width, filters, kernel height, kernel width, stride, padding
            "1, 1, 5, 5, 1, 3, 3, 1, 0",
            "1, 3, 7, 6, 5, 3, 3, 1, 1",
            "2, 5, 9, 9, 3, 4, 4, 2, 1",
            "3, 7, 8, 10, 6, 4, 4, 2, 0",
            "4, 33, 6, 6, 17, 3, 3, 2, 1",
            "2, 3, 11, 9, 4, 3, 4, 3, 2",
            // A 1×1 kernel with stride 2; padding wider than the kernel (whole output rows of zeros).
            "3, 4, 6, 6, 5, 1, 1, 2, 0",
            "1, 2, 4, 5, 3, 3, 2, 1, 3",
            // Several images per GEMM, a ragged last group: 3×3 outputs, groups of 2.
            "37, 3, 7, 7, 5, 4, 4, 2, 1",
            // Groups of 8 images, 17 groups, 8 weight-gradient chunks.
            "130, 2, 5, 5, 9, 3, 3, 1, 1",
            // Batch 1 with stride 1; 3×3 with stride 2; stride 3; a tall thin kernel; a ragged last group.
            "1, 8, 5, 7, 3, 3, 3, 1, 1",
            "3, 9, 11, 9, 10, 3, 3, 2, 1",
            "5, 16, 9, 9, 7, 4, 4, 3, 2",
            "2, 8, 6, 5, 4, 5, 2, 2, 0",
            "37, 10, 7, 7, 6, 4, 4, 2, 1",
            // The second layer of the MNIST encoder at batch 2: K = 1024 crosses a cache block.
            "2, 64, 28, 28, 64, 4, 4, 2, 1",
            // One channel, 3×3, stride 1, rows of 28 and 18 outputs: the direct forward pass (a ragged
            // last vector in the second) and input gradient, also without padding and with padding 2
            // (a wider and a narrower border around the output gradient), and an odd number of rows
            // (the direct path takes two at a time); then a 3×2 kernel, which goes by im2col.
            "2, 1, 28, 28, 64, 3, 3, 1, 1",
            "3, 1, 20, 18, 5, 3, 3, 1, 1",
            "2, 1, 20, 18, 3, 3, 3, 1, 0",
            "2, 1, 16, 16, 3, 3, 3, 1, 2",
            "2, 1, 17, 16, 3, 3, 3, 1, 1",
            "3, 1, 20, 17, 5, 3, 2, 1, 1",
            // The second layer of the 32×32 network: its planes are widened from 17 to 18 columns.
            "2, 8, 32, 32, 8, 4, 4, 2, 1",
            // Stride 2 and 4×4 with padding 2 (pixel 0 in the second plane column), and rows too
            // long for the vector fold of the input gradient (33 > 32), which then goes by planes.
            "3, 4, 10, 11, 5, 4, 4, 2, 2",
            "2, 3, 6, 33, 4, 4, 4, 2, 1",
            // Plane rows half a vector wide (14 and 13 pixels with padding 1, as on the third layer
            // of the MNIST encoder): the vector fold sums two images at once, in groups of 3 (a
            // pair and one alone) and of 2 with a last group of 1.
            "48, 3, 14, 14, 5, 4, 4, 2, 1",
            "37, 2, 9, 13, 4, 4, 4, 2, 1",
    })
    void equalsDirectConvolution(int batch, int channels, int height, int width,
                                 int filters, int kernelH, int kernelW, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {batch, channels, height, width},
                new int[] {filters, channels, kernelH, kernelW}, stride, padding);
        Random random = new Random(batch * 1000L + channels * 10L + kernelH);
        float[] x = TestArrays.uniform(random, batch * channels * height * width);
        float[] w = TestArrays.uniform(random, filters * channels * kernelH * kernelW);
        float[] bias = TestArrays.uniform(random, filters);
        float[] gradOut = TestArrays.uniform(random, batch * filters * g.outHeight() * g.outWidth());

        float[] expectedZ = ReferenceConvolution.forward(g, x, w, bias);
        float[] expectedY = new float[expectedZ.length];
        for (int i = 0; i < expectedZ.length; i++) expectedY[i] = UnaryOp.SWISH.apply(expectedZ[i]);
        float[] z = new float[expectedZ.length], y = new float[expectedZ.length];
        Conv2dCpu.forward(g, x, w, bias, z, y);
        TestArrays.assertClose("z", z, expectedZ, TOLERANCE);
        TestArrays.assertClose("swish(z)", y, expectedY, TOLERANCE);

        float[] plain = new float[expectedZ.length];
        Conv2dCpu.forward(g, x, w, null, plain, null);
        TestArrays.assertClose("conv without bias", plain, ReferenceConvolution.forward(g, x, w, new float[filters]), TOLERANCE);

        float[] dx = new float[x.length];
        Conv2dCpu.inputGrad(g, gradOut, null, w, dx);
        TestArrays.assertClose("input gradient", dx, ReferenceConvolution.inputGrad(g, gradOut, w), TOLERANCE);

        float[] dw = new float[w.length];
        Conv2dCpu.weightGrad(g, gradOut, x, dw);
        TestArrays.assertClose("weight gradient", dw, ReferenceConvolution.weightGrad(g, gradOut, x), TOLERANCE);
    }

    /**
     * A plane is one column wider only where that fills the GEMM's 32-wide tiles exactly and
     * computes no more columns than the ragged tile would.
     */
    @Test
    void planesAreWidenedToFillWholeTiles() {
        assertEquals(16, Im2col.planeWidth(15, 14, 32), "28 → 14: 210 columns become 224");
        assertEquals(18, Im2col.planeWidth(17, 16, 32), "32 → 16: 272 columns become 288");
        assertEquals(30, Im2col.planeWidth(30, 28, 32), "868 columns would be no whole number of tiles");
        assertEquals(8, Im2col.planeWidth(8, 28, 32), "224 columns fill their tiles already");
        assertEquals(5, Im2col.planeWidth(5, 24, 32), "144 columns would compute more than 128");
        assertEquals(15, Im2col.planeWidth(15, 14, 1), "the reference GEMM has no tiles");
    }

    /**
     * {@link Im2col#toPlanes} writes every entry of the planes, padding and spare columns
     * included, over whatever the array held: each patch-matrix entry read from them is the
     * image's pixel or zero, by the definition, and no entry keeps the NaN it started with.
     */
    @ParameterizedTest(name = "x[{0},{1},{2},{2}] kernel {3} stride {4} padding {5}, groups of {6}")
    @CsvSource({"2, 3, 28, 4, 2, 1, 1", "4, 5, 14, 4, 2, 1, 4", "8, 2, 7, 4, 2, 1, 8", "3, 2, 9, 3, 1, 1, 3", "2, 1, 11, 5, 3, 2, 2"})
    void planesHoldThePixelsAndZerosElsewhere(int batch, int channels, int size, int kernel, int stride, int padding, int images) {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {batch, channels, size, size},
                new int[] {1, channels, kernel, kernel}, stride, padding);
        Im2col im2col = new Im2col(g, images);
        float[] x = TestArrays.uniform(new Random(13), batch * channels * size * size);
        float[] planes = new float[im2col.planesLength];
        Arrays.fill(planes, Float.NaN);
        int n0 = batch - images;
        im2col.toPlanes(x, n0 * channels * size * size, planes);
        for (int e = CacheLines.FIRST; e < planes.length; e++) assertFalse(Float.isNaN(planes[e]), "entry " + e + " not written");
        int[] start = im2col.patchRows(planes).start();
        for (int c = 0, p = 0; c < channels; c++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++, p++) {
                    for (int image = 0; image < images; image++) {
                        for (int oy = 0; oy < g.outHeight(); oy++) {
                            for (int ox = 0; ox < g.outWidth(); ox++) {
                                int y = oy * stride - padding + i, xx = ox * stride - padding + j;
                                boolean inside = y >= 0 && y < size && xx >= 0 && xx < size;
                                float expected = inside ? x[(((n0 + image) * channels + c) * size + y) * size + xx] : 0f;
                                assertEquals(expected, planes[start[p] + im2col.column(oy, image, ox)],
                                        "tap " + p + ", image " + image + ", output (" + oy + ", " + ox + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The planes' work array is shared with other work: a layer run again after other work in
     * the same arrays (the direct first layer's padded images, the fold's planes of another
     * layer) still equals the direct convolution, forward and weight gradient.
     */
    @Test
    void layersGiveTheSameAfterOtherWorkInTheirArrays() {
        Conv2dGeometry strided = Conv2dGeometry.of("test", new int[] {4, 3, 10, 10}, new int[] {5, 3, 4, 4}, 2, 1);
        Conv2dGeometry first = Conv2dGeometry.of("test", new int[] {4, 1, 28, 28}, new int[] {6, 1, 3, 3}, 1, 1);
        Conv2dGeometry unit = Conv2dGeometry.of("test", new int[] {4, 3, 10, 10}, new int[] {5, 3, 3, 3}, 1, 1);
        Random random = new Random(12);
        float[] w = TestArrays.uniform(random, 5 * 3 * 16), bias = TestArrays.uniform(random, 5);
        for (int round = 0; round < 3; round++) {
            float[] x = TestArrays.uniform(random, 4 * 3 * 10 * 10);
            float[] z = new float[4 * 5 * 5 * 5], dw = new float[w.length], gradOut = TestArrays.uniform(random, z.length);
            Conv2dCpu.forward(strided, x, w, bias, z, null);
            TestArrays.assertClose("z, round " + round, z, ReferenceConvolution.forward(strided, x, w, bias), TOLERANCE);
            Conv2dCpu.weightGrad(strided, gradOut, x, dw);
            TestArrays.assertClose("weight gradient, round " + round, dw, ReferenceConvolution.weightGrad(strided, gradOut, x), TOLERANCE);
            // Other work in the same arrays, with values that are not zero.
            float[] image = TestArrays.uniform(random, 4 * 28 * 28), w1 = TestArrays.uniform(random, 6 * 9);
            Conv2dCpu.forward(first, image, w1, null, new float[4 * 6 * 28 * 28], null);
            float[] unitGrad = TestArrays.uniform(random, 4 * 5 * 10 * 10);
            Conv2dCpu.inputGrad(unit, unitGrad, null, TestArrays.uniform(random, 5 * 3 * 9), new float[x.length]);
        }
    }

    /** The direct forward pass of a one-channel 3×3 layer gives the same bits as im2col and GEMM. */
    @Test
    void directSingleChannelForwardEqualsIm2colBitForBit() {
        assumeTrue(VectorApi.AVAILABLE, "the direct path needs --add-modules jdk.incubator.vector");
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {3, 1, 28, 28}, new int[] {16, 1, 3, 3}, 1, 1);
        assertTrue(VectorSingleChannelConv.handles(g));
        Random random = new Random(8);
        float[] x = TestArrays.uniform(random, 3 * 28 * 28), w = TestArrays.uniform(random, 16 * 9);
        float[] bias = TestArrays.uniform(random, 16);
        int outputs = 3 * 16 * 28 * 28;
        float[] z = new float[outputs], y = new float[outputs], zGemm = new float[outputs], yGemm = new float[outputs];
        Conv2dCpu.forward(g, x, w, bias, z, y);
        Conv2dCpu.forwardByIm2col(g, x, w, bias, zGemm, yGemm);
        assertArrayEquals(zGemm, z);
        assertArrayEquals(yGemm, y);
    }

    /**
     * The input gradient with Swish's backward pass on the fly equals the two passes, ∂L/∂z
     * written out and then the input gradient: on the first layer's direct path, with output rows
     * that fit one vector (the stride-2 layers), and with rows that do not.
     */
    @ParameterizedTest(name = "x[{0},{1},{2},{2}] w[{3},{1},{4},{4}] stride {5}")
    @CsvSource({"3, 1, 28, 16, 3, 1", "3, 8, 14, 6, 4, 2", "5, 4, 7, 3, 4, 2", "2, 3, 20, 4, 3, 1"})
    void swishBackwardOnTheFlyEqualsTwoPasses(int batch, int channels, int size, int filters, int kernel, int stride) {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {batch, channels, size, size},
                new int[] {filters, channels, kernel, kernel}, stride, 1);
        Random random = new Random(9);
        int outputs = batch * filters * g.outHeight() * g.outWidth();
        float[] gradY = TestArrays.uniform(random, outputs), z = TestArrays.uniform(random, outputs);
        float[] w = TestArrays.uniform(random, filters * channels * kernel * kernel), gradZ = new float[outputs];
        float[] fused = new float[batch * channels * size * size], twoPasses = new float[fused.length];
        Conv2dCpu.inputGrad(g, gradY, z, w, fused);
        Activations.swishBackward(gradY, z, gradZ, outputs);
        Conv2dCpu.inputGrad(g, gradZ, null, w, twoPasses);
        TestArrays.assertClose("input gradient", fused, twoPasses, TOLERANCE);
    }

    /**
     * On the 28 → 14 layer of the MNIST encoder, the patch rows of the taps with {@code j div 2 = 0}
     * (half of them) start on a cache line of the planes, given objects on 64-byte boundaries
     * ({@link CacheLines}); the others are one float further.
     */
    @Test
    void patchRowsStartOnCacheLines() {
        assertEquals(0, (CacheLines.HEADER_BYTES + 4 * CacheLines.FIRST) % 64, "the first aligned index");
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {128, 64, 28, 28}, new int[] {64, 64, 4, 4}, 2, 1);
        Im2col im2col = new Im2col(g, 1);
        int[] start = im2col.patchRows(new float[im2col.planesLength]).start();
        for (int p = 0; p < start.length; p++) {
            int j = p % 4;
            assertEquals(j / 2, (start[p] - CacheLines.FIRST) % CacheLines.FLOATS, "tap " + p);
        }
    }

    /** Same input, bit-identical output, however the groups fall on the threads. */
    @Test
    void deterministic() {
        Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {130, 6, 9, 9}, new int[] {10, 6, 4, 4}, 2, 1);
        Random random = new Random(5);
        float[] x = TestArrays.uniform(random, 130 * 6 * 9 * 9), w = TestArrays.uniform(random, 10 * 6 * 16);
        float[] bias = TestArrays.uniform(random, 10);
        float[] gradOut = TestArrays.uniform(random, 130 * 10 * g.outHeight() * g.outWidth());
        float[][] first = run(g, x, w, bias, gradOut);
        for (int repeat = 0; repeat < 5; repeat++) {
            float[][] again = run(g, x, w, bias, gradOut);
            for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], again[i], "output " + i + ", repeat " + repeat);
        }
    }

    private static float[][] run(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] gradOut) {
        float[] z = new float[gradOut.length], y = new float[gradOut.length], dx = new float[x.length], dw = new float[w.length];
        Conv2dCpu.forward(g, x, w, bias, z, y);
        Conv2dCpu.inputGrad(g, gradOut, null, w, dx);
        Conv2dCpu.weightGrad(g, gradOut, x, dw);
        return new float[][] {z, y, dx, dw};
    }

    /** The paper's MNIST encoder: each layer's plan is chosen once, kept, and names its paths. */
    @Test
    void eachGeometryHasOnePlanThatNamesItsPaths() {
        Conv2dGeometry first = Conv2dGeometry.of("test", new int[] {128, 1, 28, 28}, new int[] {32, 1, 3, 3}, 1, 1);
        Conv2dGeometry strided = Conv2dGeometry.of("test", new int[] {128, 32, 28, 28}, new int[] {64, 32, 4, 4}, 2, 1);
        assertTrue(ConvPlan.of(first) == ConvPlan.of(Conv2dGeometry.of("again", first.inputShape(), first.weightShape(), 1, 1)),
                "one plan per geometry");
        assertEquals(VectorApi.AVAILABLE, ConvPlan.of(first).direct);
        assertEquals(VectorApi.AVAILABLE, ConvPlan.of(strided).foldByVectors);
        assertFalse(ConvPlan.of(strided).direct);
        ConvPlan plan = ConvPlan.of(strided);
        assertEquals(128, plan.groups * plan.groupSize, "whole groups of images cover the batch");
        String expected = VectorApi.AVAILABLE ? "stride-2 fold by vectors" : "fold by planes";
        assertTrue(plan.toString().contains(expected), plan.toString());
    }
}
