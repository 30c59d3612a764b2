package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.elementwise.Elementwise;
import cebm.tensor.cpu.elementwise.VectorElementwise;
import cebm.tensor.cpu.gemm.CacheLines;
import cebm.tensor.cpu.gemm.Gemm;
import cebm.tensor.cpu.gemm.GemmOperand;
import cebm.tensor.cpu.parallel.VectorApi;

import java.util.Arrays;

/**
 * The patch matrix of a convolution over a group of G images (im2col), and its adjoint, with
 * no pixel-by-pixel gather.
 *
 * <p>For an image {@code x [C, H, W]} the patch matrix has a row for each kernel tap
 * {@code p = (c·KH + i)·KW + j} and a column for each output pixel {@code (oy, ox)}; the entry
 * is {@code x[c, oy·s − pad + i, ox·s − pad + j]}, zero outside the image. Gathered pixel by
 * pixel that is a strided read in short runs, as slow as the GEMM that follows.
 *
 * <p>So the images are first copied into <em>planes</em>: zero-padded, then split by stride
 * phase (space-to-depth). Plane {@code (c, a, b)} holds the padded pixels {@code (s·u + a, s·v + b)}
 * on a grid of {@code Hs} rows by {@code Ws} columns, and each plane row holds that row of all G
 * images side by side: {@code planes[(c, a, b), u, image, v]}. Tap (c, i, j) at output
 * (oy, ox) reads plane {@code (c, i mod s, j mod s)} at {@code (oy + i div s, ox + j div s)}, so
 * neighbouring outputs read neighbouring entries. With output columns laid out the same way,
 * {@code (oy, image, ox)} with Ws values of ox of which the first OW are real, each row of the
 * patch matrix is one run of {@link #columns} consecutive plane entries. The GEMM reads those
 * runs in place ({@link #patchRows}), so the forward pass never writes the patch matrix out.
 *
 * <p>The spare columns cost {@code (Ws − OW)/Ws} extra GEMM work; the convolution drops them
 * when it writes its outputs, and sets them to zero in output gradients so that they add nothing
 * when folded back. Ws is the padded width divided by the stride, or one more where that makes
 * the columns fill the GEMM's micro-tiles exactly ({@link #planeWidth}).
 */
final class Im2col {
    private final Conv2dGeometry g;
    private final int images, stride;
    /** The grid of one plane: the padded image divided by the stride, rounded up (the width perhaps one more). */
    private final int planeH, planeW;
    /** Where the run of each tap starts in the planes. */
    private final int[] tapStart;
    /** Where pixel y·W + x of channel 0 of the first image lands in the planes. */
    private final int[] pixelEntry;
    /**
     * The other way round, for the entries of channel 0's s² planes (from {@link CacheLines#FIRST}
     * on): the pixel each holds, as its offset in the group's input, unless {@link #holdsZero}:
     * then it holds padding or a spare column, and zero.
     */
    private final int[] entrySource;
    private final boolean[] holdsZero;
    /** Floats of the planes, plus slack for the spare columns of the last output row. */
    final int planesLength;
    /** Columns of the patch matrix: OH × G × Ws. */
    final int columns;

    Im2col(Conv2dGeometry g, int images) {
        this.g = g;
        this.images = images;
        stride = g.stride();
        planeH = ceilDiv(g.height() + 2 * g.padding(), stride);
        planeW = planeWidth(g, images);
        columns = columns(g, images);
        int planeSize = planeH * images * planeW;
        tapStart = new int[g.inChannels() * g.kernelH() * g.kernelW()];
        int p = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int i = 0; i < g.kernelH(); i++) {
                for (int j = 0; j < g.kernelW(); j++, p++) {
                    int plane = (c * stride + i % stride) * stride + j % stride;
                    tapStart[p] = CacheLines.FIRST + plane * planeSize + (i / stride) * images * planeW + j / stride;
                }
            }
        }
        pixelEntry = new int[g.height() * g.width()];
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                int py = y + g.padding(), px = x + g.padding();
                int plane = (py % stride) * stride + px % stride;
                pixelEntry[y * g.width() + x] = CacheLines.FIRST + plane * planeSize + (py / stride) * images * planeW + px / stride;
            }
        }
        entrySource = new int[stride * stride * planeSize];
        holdsZero = new boolean[entrySource.length];
        Arrays.fill(holdsZero, true);
        int imageSize = g.inChannels() * g.height() * g.width();
        for (int n = 0; n < images; n++) {
            for (int q = 0; q < pixelEntry.length; q++) {
                int e = pixelEntry[q] - CacheLines.FIRST + n * planeW;
                entrySource[e] = n * imageSize + q;
                holdsZero[e] = false;
            }
        }
        // NOTE: the spare columns of the last output row run up to (KW − 1) div s past the last plane.
        planesLength = CacheLines.FIRST + g.inChannels() * stride * stride * planeSize + (g.kernelW() - 1) / stride;
    }

    /** Columns of one output row of one image, Ws: OW real ones, then the spare ones. */
    int rowWidth() {
        return planeW;
    }

    /** The column of output pixel (oy, ox) of the image at position {@code image} in the group. */
    int column(int oy, int image, int ox) {
        return (oy * images + image) * planeW + ox;
    }

    /** The rows of the patch matrix, {@code [C·KH·KW, columns]}, as runs of the planes. */
    GemmOperand patchRows(float[] planes) {
        return new GemmOperand(planes, tapStart, 1);
    }

    /** cols {@code [C·KH·KW, columns]} ← the patch matrix of the images held in {@code planes}. */
    void unfold(float[] planes, float[] cols) {
        for (int p = 0; p < tapStart.length; p++) System.arraycopy(planes, tapStart[p], cols, p * columns, columns);
    }

    /**
     * planes ← the G images from {@code x[xOff]} on, zero-padded and split by stride phase. Every
     * entry is written, a channel at a time in entry order from {@link #entrySource}: with the
     * Vector API by gather instructions, which fetch the pixels of a vector of entries and write
     * them out in one store (zeros blended in where an entry holds padding). So each entry is
     * written once, padding included, instead of zeroing the planes in a pass of their own and
     * then writing the pixels through the pixel table of {@link #fromPlanes}.
     */
    void toPlanes(float[] x, int xOff, float[] planes) {
        int channelEntries = entrySource.length, pixels = g.height() * g.width();
        for (int c = 0; c < g.inChannels(); c++) {
            int from = xOff + c * pixels, to = CacheLines.FIRST + c * channelEntries;
            int e = VectorApi.AVAILABLE ? VectorElementwise.gatherOrZero(x, from, entrySource, holdsZero, planes, to, channelEntries) : 0;
            for (; e < channelEntries; e++) planes[to + e] = holdsZero[e] ? 0f : x[from + entrySource[e]];
        }
        Arrays.fill(planes, CacheLines.FIRST + g.inChannels() * channelEntries, planesLength, 0f);
    }

    /**
     * The G images from {@code x[xOff]} on ← their pixels in the planes: the adjoint of
     * {@link #toPlanes}, through the table of pixel entries: channel c of image n is the same
     * pattern shifted by c·s² planes and n plane-row segments. With the Vector API, whole vectors
     * of pixels come back by gather instructions ({@link VectorElementwise#gather}).
     */
    void fromPlanes(float[] planes, float[] x, int xOff) {
        int pixels = pixelEntry.length, planeSize = planeH * images * planeW;
        for (int n = 0; n < images; n++) {
            for (int c = 0; c < g.inChannels(); c++) {
                int shift = c * stride * stride * planeSize + n * planeW;
                int src = xOff + (n * g.inChannels() + c) * pixels;
                int q = VectorApi.AVAILABLE ? VectorElementwise.gather(x, src, planes, shift, pixelEntry, pixels) : 0;
                for (; q < pixels; q++) x[src + q] = planes[shift + pixelEntry[q]];
            }
        }
    }

    /**
     * The adjoint of reading the patch matrix: adds row p of {@code cols [C·KH·KW, columns]} (from
     * {@code colsOff} on) onto the run of planes it was read from. {@code planes} must start zeroed.
     */
    void fold(float[] cols, int colsOff, float[] planes) {
        for (int p = 0; p < tapStart.length; p++) Elementwise.addInto(planes, tapStart[p], cols, colsOff + p * columns, columns);
    }

    /** {@link #columns} of the im2col of {@code images} images, without making its tables. */
    static int columns(Conv2dGeometry g, int images) {
        return g.outHeight() * images * planeWidth(g, images);
    }

    private static int planeWidth(Conv2dGeometry g, int images) {
        return planeWidth(ceilDiv(g.width() + 2 * g.padding(), g.stride()), g.outHeight() * images, Gemm.tileColumns());
    }

    /**
     * The width of a plane: the narrowest that holds a padded image row, or one more where the
     * columns, {@code rows} output rows of that width, then fill the GEMM's micro-tiles exactly
     * without computing more columns than the narrow width's ragged last tile would anyway. On the
     * 28 → 14 layer of the MNIST encoder, 14 rows of 15 are 210 columns, six whole tiles of 32 and
     * one of 18, which the GEMM packs and computes in full on a copy; 14 rows of 16 are seven
     * whole tiles, all read in place with nothing packed, which is faster.
     */
    static int planeWidth(int narrowest, int rows, int tileColumns) {
        int columns = rows * narrowest, wider = columns + rows;
        boolean fillsTiles = wider % tileColumns == 0 && wider <= ceilDiv(columns, tileColumns) * tileColumns;
        return fillsTiles ? narrowest + 1 : narrowest;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
