package cebm.tensor.cpu;

import cebm.tensor.Conv2dGeometry;

import java.util.Arrays;

/**
 * The input gradient of a convolution as one GEMM per stride phase, written straight into the
 * planes of {@link Im2col}: no patch-matrix gradient, no fold.
 *
 * <p>Padded input pixel {@code (s·u + a, s·v + b)} is read by output (oy, ox) through tap (i, j)
 * exactly when {@code i = a + s·di} with {@code oy = u − di}, and {@code j = b + s·dj} with
 * {@code ox = v − dj}. So plane (a, b, c) of the input gradient is
 * <pre>
 * dplanes[a, b, c][u, v] = Σ_f Σ_{di < TH, dj < TW} w[f, c, a + s·di, b + s·dj] · dout[f, u − di, v − dj]
 * </pre>
 * with {@code TH = ceil((KH − a)/s)} taps of the kernel in phase a (likewise TW), and dout zero
 * outside the output: for stride 1 the familiar full correlation with the kernel, for stride s
 * s² of them with the sub-kernels of every s-th tap. Each phase is one GEMM
 * {@code [C, F·TH·TW] · [F·TH·TW, Hs·G·Ws]}. A's columns are strided runs of w. B's rows are
 * runs of one copy of dout with a zero border ({@link #toBordered}), shifted by (di, dj) and
 * read in place like the patch rows of the forward pass. The columns (u, image, v) are those of
 * a plane, and the C planes of a phase are adjacent, so the GEMM writes a dense block of the planes.
 *
 * <p>Compared with {@code dcols = Wᵀ·dout} and a fold, the taps that hit one pixel are summed in
 * the GEMM's registers rather than by s² to KH·KW passes over a patch-matrix gradient that does not
 * fit in L1, and the depth of the GEMM is F·TH·TW (256 on the encoder) instead of F. The price:
 * the gradient of the padding pixels is computed too, and the GEMM has only C rows, so thin
 * inputs (an image's one or three channels) are better served by the fold.
 */
final class StridePhases {
    private final Conv2dGeometry g;
    private final Im2col im2col;
    /** Zero rows above and columns left of dout in the bordered copy: the largest di and dj. */
    private final int borderH, borderW;
    /** Floats per filter in the bordered copy: borderH + Hs rows of G·Ws. */
    private final int filterSize;
    /** Floats of the bordered copy, plus slack for the shifted reads of the last filter. */
    final int borderedLength;
    /** {@link #rowStarts(int, int)} of each phase (a, b), at a·s + b. */
    private final int[][] rowStarts;

    StridePhases(Conv2dGeometry g, Im2col im2col) {
        this.g = g;
        this.im2col = im2col;
        borderH = taps(g.kernelH(), 0, g.stride()) - 1;
        borderW = taps(g.kernelW(), 0, g.stride()) - 1;
        filterSize = (borderH + im2col.planeH) * im2col.images * im2col.planeW;
        borderedLength = g.outChannels() * filterSize + borderW;
        int s = g.stride();
        rowStarts = new int[s * s][];
        for (int a = 0; a < s; a++) {
            for (int b = 0; b < s; b++) rowStarts[a * s + b] = rowStarts(a, b);
        }
    }

    /** Taps of a kernel of size k in phase a: i = a + s·d for d < ceil((k − a)/s), none when k ≤ a. */
    private static int taps(int k, int a, int s) {
        return Math.max(0, (k - a + s - 1) / s);
    }

    /**
     * A of phase (a, b), {@code [C, F·TH·TW]}: column (f, di, dj) is {@code w[f, :, a + s·di, b + s·dj]},
     * read in place with stride KH·KW.
     */
    static GemmOperand weights(Conv2dGeometry g, float[] w, int a, int b) {
        int s = g.stride(), th = taps(g.kernelH(), a, s), tw = taps(g.kernelW(), b, s);
        int[] start = new int[g.outChannels() * th * tw];
        int p = 0;
        for (int f = 0; f < g.outChannels(); f++) {
            for (int di = 0; di < th; di++) {
                for (int dj = 0; dj < tw; dj++, p++) {
                    start[p] = (f * g.inChannels() * g.kernelH() + a + s * di) * g.kernelW() + b + s * dj;
                }
            }
        }
        return new GemmOperand(w, start, g.kernelH() * g.kernelW());
    }

    /**
     * B of phase (a, b), {@code [F·TH·TW, Hs·G·Ws]}: row (f, di, dj) at column (u, image, v) is
     * {@code dout[f, u − di, v − dj]}, a run of the bordered copy shifted by (di, dj).
     */
    GemmOperand shiftedRows(float[] bordered, int a, int b) {
        return new GemmOperand(bordered, rowStarts[a * g.stride() + b], 1);
    }

    /** Where the rows of {@link #shiftedRows} start in the bordered copy, for phase (a, b). */
    private int[] rowStarts(int a, int b) {
        int s = g.stride(), th = taps(g.kernelH(), a, s), tw = taps(g.kernelW(), b, s);
        int rowLength = im2col.images * im2col.planeW;
        int[] start = new int[g.outChannels() * th * tw];
        int p = 0;
        for (int f = 0; f < g.outChannels(); f++) {
            for (int di = 0; di < th; di++) {
                for (int dj = 0; dj < tw; dj++, p++) {
                    start[p] = f * filterSize + (borderH - di) * rowLength + borderW - dj;
                }
            }
        }
        return start;
    }

    /**
     * bordered ← {@code dout[n0 …]} of the group's images, laid out like the planes,
     * {@code [F, borderH + Hs, G, Ws]}, with dout[f, oy, ox] at row borderH + oy, column borderW + ox
     * and zeros elsewhere.
     *
     * <p>NOTE: a shifted read that leaves an image's columns lands in the zero columns of its
     * neighbour, because the plane is wide enough: {@code Ws − OW ≥ KW/s − 1}, so
     * {@code Ws ≥ borderW + OW}. Likewise rows: {@code Hs ≥ OH}.
     */
    void toBordered(float[] gradOut, int n0, float[] bordered) {
        int oh = g.outHeight(), ow = g.outWidth(), filters = g.outChannels();
        int rowLength = im2col.images * im2col.planeW;
        Arrays.fill(bordered, 0, borderedLength, 0f);
        for (int image = 0; image < im2col.images; image++) {
            for (int f = 0; f < filters; f++) {
                int from = ((n0 + image) * filters + f) * oh * ow;
                int to = f * filterSize + borderH * rowLength + image * im2col.planeW + borderW;
                for (int oy = 0; oy < oh; oy++) System.arraycopy(gradOut, from + oy * ow, bordered, to + oy * rowLength, ow);
            }
        }
    }
}
