package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The last step of a stride-2 input gradient, {@link Im2col#fold} and {@link Im2col#fromPlanes}
 * in one pass: the image gradient is summed straight from the patch-matrix gradient {@code dcols},
 * a row of pixels at a time, with no planes in between.
 *
 * <p>With stride 2, the pixels of a row alternate between two planes: padded column {@code px}
 * lies in plane phase {@code b = px mod 2} at plane column {@code v = px div 2}. So one row's
 * even-numbered pixels are consecutive entries of one plane, its odd-numbered pixels consecutive
 * entries of the other. Each entry is the sum, over the taps (i, j) that read its plane, of
 * {@code dcols[tap][column(u − i div 2, image, v − j div 2)]}, with {@code u} the entry's plane
 * row: consecutive entries are consecutive columns of dcols, so a vector of 16 entries of a phase
 * is a sum of a few plain vector loads. Two such vectors, interleaved lane by lane, are 32
 * neighbouring pixels of the row.
 *
 * <p>The fold over planes adds every tap's row onto overlapping runs of the planes and writes the
 * planes back; each of those overlapping read-modify-writes waits for the one before, and the
 * planes must then be copied out into the images. Here each pixel is written once, straight into
 * the image gradient.
 *
 * <p>Terms that fall outside the output are zero. A tap row {@code u − i div 2} that is no output
 * row is read from a block of zeros placed before dcols. A column {@code v − j div 2} past the
 * last output is a spare column of dcols, zero because the output gradient's spare columns are;
 * so is the column before the first (−1: no term reaches back further with a 4-wide kernel),
 * which is the previous segment's spare column (a 4-wide kernel with stride 2 always leaves one),
 * or the zero block's last entry. A row is stored as whole vectors: the lanes past its end spill
 * into the next row, which is written afterwards, so only the last row of a group goes through
 * a copy.
 *
 * <p>Where the plane rows are half a vector wide (8 columns with AVX-512: the 14 → 7 layer of the
 * MNIST encoder), a vector of a tap row holds two images' entries side by side, so both images'
 * rows come out of the same loads: the lower half of the interleave is the first image's row, the
 * upper half the second's. Each load thus serves two images.
 */
final class VectorStrideTwoFold {
    private VectorStrideTwoFold() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /**
     * Lane m of a row's first and second vector of pixels is lane m div 2, or VL/2 + m div 2, of
     * the phase that holds m's parity: odd lanes come from the odd pixels' phase.
     */
    private static final VectorShuffle<Float> LOW_HALF = halfShuffle(0), HIGH_HALF = halfShuffle(VL / 2);
    private static final VectorMask<Float> ODD_LANES = oddLanes();

    private static VectorShuffle<Float> halfShuffle(int first) {
        int[] index = new int[VL];
        for (int m = 0; m < VL; m++) index[m] = first + m / 2;
        return VectorShuffle.fromArray(SPECIES, index, 0);
    }

    /** The odd lanes. */
    private static VectorMask<Float> oddLanes() {
        boolean[] odd = new boolean[VL];
        for (int m = 0; m < VL; m++) odd[m] = m % 2 == 1;
        return VectorMask.fromArray(SPECIES, odd, 0);
    }

    /** Stride 2, a 4×4 kernel, rows at most two vectors long. */
    static boolean handles(Conv2dGeometry g) {
        return g.stride() == 2 && g.kernelH() == 4 && g.kernelW() == 4 && g.width() <= 2 * VL;
    }

    /**
     * Floats of zeros the patch-matrix gradient needs before it in its buffer: the terms of rows
     * outside the output, and of the column before the first, read those instead.
     */
    static int zeroBlock(Im2col im2col) {
        return 3 * im2col.columns + 2 * VL;
    }

    /** Floats the loads of the pixels past a row's end read after the last entry of the patch-matrix gradient. */
    static final int SLACK = VL;

    /**
     * The input gradient of the group's images ({@code images} from {@code n0} on) into
     * {@code gradIn}, from their patch-matrix gradient at {@code buffer[dcolsAt]}, with at least
     * {@link #zeroBlock} floats before it, which this sets to zero, and {@link #SLACK} after.
     * {@code lastRow} holds the group's last row on its way out (2·VL floats).
     * NOTE: straight-line vector code, with the rows outside the output read from the zero block
     * rather than skipped: a vector that a branch or a loop may leave unchanged is boxed by the
     * JIT of JDK 17, which would make loops over the taps slower than the fold over planes.
     */
    static void foldIntoImages(Conv2dGeometry g, Im2col im2col, float[] buffer, int dcolsAt,
                               float[] gradIn, int n0, int images, float[] lastRow) {
        // The buffer is shared with other work: its block of zeros is laid down at every call.
        Arrays.fill(buffer, 0, dcolsAt, 0f);
        int pad = g.padding(), channels = g.inChannels(), h = g.height(), w = g.width(), oh = g.outHeight();
        int columns = im2col.columns, tapRows = dcolsAt;
        // Pixel 2k of a row has padded column 2k + pad, pixel 2k + 1 the next: their phases, and the
        // plane columns of pixels 0 and 1. Taps j = phase and phase + 2 read a plane; the second
        // reaches one column further back.
        int evenPhase = pad % 2, oddPhase = 1 - evenPhase, evenV = pad / 2, oddV = (pad + 1) / 2;
        int evenNear = evenPhase * columns + evenV, evenFar = (evenPhase + 2) * columns + evenV - 1;
        int oddNear = oddPhase * columns + oddV, oddFar = (oddPhase + 2) * columns + oddV - 1;
        int imageSize = channels * h * w, groupEnd = (n0 + images) * imageSize;
        boolean twoVectors = w > VL, pairs = !twoVectors && im2col.rowWidth() == VL / 2;
        for (int image = 0; image < images; image += pairs ? 2 : 1) {
            // With plane rows half a vector wide, the upper half of each vector read holds the next
            // image's row: two images are summed at once where the group has two left.
            boolean pair = pairs && image + 1 < images;
            int imageEnd = (n0 + image + 1) * imageSize;
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < h; y++) {
                    // Plane row u of phase a is read by taps i = a (output row u) and i = a + 2 (output row u − 1).
                    int a = (y + pad) % 2, u = (y + pad) / 2;
                    int top = u < oh ? tapRows + (c * 4 + a) * 4 * columns + im2col.column(u, image, 0) : 1;
                    int bottom = u >= 1 && u - 1 < oh ? tapRows + (c * 4 + a + 2) * 4 * columns + im2col.column(u - 1, image, 0) : 1;
                    // In the fold's order of taps (i, then j), so that both give the same sums.
                    FloatVector even = FloatVector.fromArray(SPECIES, buffer, top + evenNear)
                            .add(FloatVector.fromArray(SPECIES, buffer, top + evenFar))
                            .add(FloatVector.fromArray(SPECIES, buffer, bottom + evenNear))
                            .add(FloatVector.fromArray(SPECIES, buffer, bottom + evenFar));
                    FloatVector odd = FloatVector.fromArray(SPECIES, buffer, top + oddNear)
                            .add(FloatVector.fromArray(SPECIES, buffer, top + oddFar))
                            .add(FloatVector.fromArray(SPECIES, buffer, bottom + oddNear))
                            .add(FloatVector.fromArray(SPECIES, buffer, bottom + oddFar));
                    int rowStart = ((n0 + image) * channels + c) * h * w + y * w;
                    // In a pair, the first image's last row would spill into the second's first, already written.
                    boolean spillsOut = rowStart + (twoVectors ? 2 * VL : VL) > (pair ? imageEnd : groupEnd);
                    float[] to = spillsOut ? lastRow : gradIn;
                    int at = spillsOut ? 0 : rowStart;
                    even.rearrange(LOW_HALF).blend(odd.rearrange(LOW_HALF), ODD_LANES).intoArray(to, at);
                    if (twoVectors) even.rearrange(HIGH_HALF).blend(odd.rearrange(HIGH_HALF), ODD_LANES).intoArray(to, at + VL);
                    if (spillsOut) System.arraycopy(lastRow, 0, gradIn, rowStart, w);
                    if (pair) {
                        int pairedStart = rowStart + imageSize;
                        boolean pairedSpillsOut = pairedStart + VL > groupEnd;
                        float[] pairedTo = pairedSpillsOut ? lastRow : gradIn;
                        int pairedAt = pairedSpillsOut ? 0 : pairedStart;
                        even.rearrange(HIGH_HALF).blend(odd.rearrange(HIGH_HALF), ODD_LANES).intoArray(pairedTo, pairedAt);
                        if (pairedSpillsOut) System.arraycopy(lastRow, 0, gradIn, pairedStart, w);
                    }
                }
            }
        }
    }
}
