package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.elementwise.Activations;
import cebm.tensor.cpu.elementwise.Elementwise;
import cebm.tensor.cpu.gemm.CacheLines;
import cebm.tensor.cpu.gemm.Gemm;
import cebm.tensor.cpu.gemm.GemmOperand;
import cebm.tensor.cpu.parallel.ScratchPool;
import cebm.tensor.cpu.parallel.VectorApi;

import java.util.Arrays;

/**
 * 2-D convolution on the CPU by im2col + GEMM, in parallel over groups of images.
 *
 * <p>For a group of G images, {@link Im2col} provides their patch matrix
 * {@code cols [C·KH·KW, P]} (P = {@link Im2col#columns}, about G·OH·OW). Then
 * <ul>
 *   <li>forward: {@code out [F, P] = W [F, C·KH·KW] · cols}, then bias and Swish in the
 *       epilogue, scattered to the NCHW output;</li>
 *   <li>input gradient: {@code dcols = Wᵀ · dout [F, P]}, then {@link Im2col#fold} adds each
 *       column back onto the pixels it came from (with stride 2 and 4×4 kernels,
 *       {@link VectorStrideTwoFold} sums each image row straight from dcols instead);</li>
 *   <li>weight gradient: {@code dW = Σ dout · colsᵀ} over the batch, cols written out
 *       ({@link Im2col#unfold}) since here its rows are the GEMM's depth, not its operand's vectors.</li>
 * </ul>
 * Which of these paths, and the direct one for one-channel layers, a geometry takes is its
 * {@link ConvPlan}, chosen once. Grouping makes the GEMM wide: the later layers of an encoder have few pixels per image
 * (7×7, 3×3), too few to fill the micro-kernel's 32-column tiles on their own.
 *
 * <p>Deterministic: the GEMM sums every output over K in a fixed order whatever the group, and
 * the weight gradient adds per-chunk partial sums in chunk order. The grouping depends on the
 * geometry only, so results depend neither on thread timing nor on the number of cores.
 * All arrays are dense NCHW.
 */
public final class Conv2dCpu {
    private Conv2dCpu() {}

    /** Partial sums of the weight gradient: a fixed count, so the summation order is fixed too. */
    private static final int WEIGHT_GRAD_CHUNKS = 8;

    /**
     * Work arrays of a task, grown on demand and reused from call to call ({@link ScratchPool});
     * also the padded plane and the sums of {@link VectorSingleChannelConv}.
     */
    static final class Scratch {
        private float[] planes = new float[0], cols = new float[0], rows = new float[0];

        /** A work array of at least {@code size} floats, of any content. */
        float[] planes(int size) {
            if (planes.length < size) planes = new float[size];
            return planes;
        }

        /** A patch matrix, or its gradient. */
        float[] cols(int size) {
            if (cols.length < size) cols = new float[size];
            return cols;
        }

        /** Outputs or output gradients of a group in the GEMM's layout, {@code [F, P]}. */
        float[] rows(int size) {
            if (rows.length < size) rows = new float[size];
            return rows;
        }

        private GemmOperand rowsOperand, patchRows;
        private Im2col patchRowsOf;

        /**
         * {@link Im2col#patchRows} of {@link #planes}, made again only when the im2col (one per call)
         * or the array changes: one operand per group would be garbage that grows with the batch.
         */
        GemmOperand patchRows(Im2col im2col) {
            if (patchRowsOf != im2col || patchRows.data() != planes) {
                patchRows = im2col.patchRows(planes);
                patchRowsOf = im2col;
            }
            return patchRows;
        }

        /** {@link #rows} as a GEMM operand {@code [F, P]}, made again only when its shape or array changes. */
        GemmOperand rowsOperand(int filters, int width) {
            GemmOperand o = rowsOperand;
            if (o == null || o.data() != rows || o.start().length != filters || (filters > 1 && o.start()[1] - o.start()[0] != width)) {
                rowsOperand = o = GemmOperand.rowsOf(rows, CacheLines.FIRST, filters, width, false);
            }
            return o;
        }
    }

    static final ScratchPool<Scratch> SCRATCH = new ScratchPool<>(Scratch::new);

    /**
     * z = conv(x, w) + b; when {@code swishOut} is non-null also y = swish(z) (the fused layer).
     */
    public static void forward(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z, float[] swishOut) {
        if (ConvPlan.of(g).direct) {
            VectorSingleChannelConv.forward(g, x, w, bias, z, swishOut);
        } else {
            forwardByIm2col(g, x, w, bias, z, swishOut);
        }
    }

    /** {@link #forward} by im2col and GEMM, whatever the geometry. */
    static void forwardByIm2col(Conv2dGeometry g, float[] x, float[] w, float[] bias, float[] z, float[] swishOut) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW(), filters = g.outChannels();
        int inSize = g.inChannels() * g.height() * g.width();
        Gemm.PreparedA weights = Gemm.prepare(filters, patch, GemmOperand.columnsOf(w, 0, filters, patch, false));
        ConvPlan plan = ConvPlan.of(g);
        SCRATCH.forEach(plan.groups, (ws, group) -> {
            Im2col im2col = plan.im2col(group);
            int n0 = plan.first(group), width = im2col.columns;
            float[] planes = ws.planes(im2col.planesLength);
            // out holds z [F, P] from its first cache line on, then y.
            int zStart = CacheLines.FIRST, yStart = zStart + filters * width;
            float[] out = ws.rows(yStart + filters * width + ROWS_SLACK);
            im2col.toPlanes(x, n0 * inSize, planes);
            weights.multiply(width, ws.patchRows(im2col), out, zStart, false);
            for (int f = 0; f < filters; f++) {
                Elementwise.biasSwish(out, zStart + f * width, swishOut == null ? null : out, yStart + f * width, width,
                        bias == null ? 0f : bias[f]);
            }
            scatter(g, im2col, out, zStart, n0, plan.images(group), z);
            if (swishOut != null) scatter(g, im2col, out, yStart, n0, plan.images(group), swishOut);
        });
    }

    /**
     * The input gradient at ∂L/∂out = {@code gradOut}; or, with {@code z} non-null, of the fused
     * layer at ∂L/∂y = {@code gradOut}: then ∂L/∂z = ∂L/∂y · swish'(z) is computed on the fly, as
     * the output gradient is read into the GEMM's layout or the direct path's padded planes,
     * instead of being written out by one pass (on the first layer of the MNIST encoder at batch
     * 128, a [128, 64, 28, 28] tensor of 25.7 MB) and read back by the next.
     */
    public static void inputGrad(Conv2dGeometry g, float[] gradOut, float[] z, float[] w, float[] gradIn) {
        if (ConvPlan.of(g).direct) {
            VectorSingleChannelConv.inputGrad(g, gradOut, z, w, gradIn);
        } else {
            inputGradByIm2col(g, gradOut, z, w, gradIn);
        }
    }

    /** {@link #inputGrad} by GEMM and fold, whatever the geometry. */
    static void inputGradByIm2col(Conv2dGeometry g, float[] gradOut, float[] z, float[] w, float[] gradIn) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW(), filters = g.outChannels();
        int inSize = g.inChannels() * g.height() * g.width();
        Gemm.PreparedA weightsT = Gemm.prepare(patch, filters, GemmOperand.columnsOf(w, 0, patch, filters, true));
        ConvPlan plan = ConvPlan.of(g);
        boolean foldByVectors = plan.foldByVectors;
        SCRATCH.forEach(plan.groups, (ws, group) -> {
            Im2col im2col = plan.im2col(group);
            int n0 = plan.first(group), width = im2col.columns;
            // dcols from a cache line on, after the vector fold's block of zeros where it has one.
            int dcolsAt = CacheLines.FIRST + (foldByVectors ? CacheLines.roundUp(VectorStrideTwoFold.zeroBlock(im2col)) : 0);
            int slack = foldByVectors ? VectorStrideTwoFold.SLACK : 0;
            float[] dcols = ws.cols(dcolsAt + patch * width + slack);
            float[] dout = ws.rows(CacheLines.FIRST + filters * width + ROWS_SLACK);
            gather(g, im2col, gradOut, z, n0, plan.images(group), dout, CacheLines.FIRST);
            weightsT.multiply(width, ws.rowsOperand(filters, width), dcols, dcolsAt, false);
            if (foldByVectors) {
                // No planes on this path: their buffer carries the group's last row.
                VectorStrideTwoFold.foldIntoImages(g, im2col, dcols, dcolsAt, gradIn, n0, plan.images(group), ws.planes(2 * slack));
            } else {
                float[] planes = ws.planes(im2col.planesLength);
                Arrays.fill(planes, 0, im2col.planesLength, 0f);
                im2col.fold(dcols, dcolsAt, planes);
                im2col.fromPlanes(planes, gradIn, n0 * inSize);
            }
        });
    }

    public static void weightGrad(Conv2dGeometry g, float[] gradOut, float[] x, float[] gradW) {
        int patch = g.inChannels() * g.kernelH() * g.kernelW(), filters = g.outChannels();
        int inSize = g.inChannels() * g.height() * g.width();
        ConvPlan plan = ConvPlan.of(g);
        int chunks = Math.min(WEIGHT_GRAD_CHUNKS, plan.groups);
        float[][] partial = new float[chunks][gradW.length];
        SCRATCH.forEach(chunks, (ws, chunk) -> {
            // Chunk t sums the groups t·count/chunks up to (t+1)·count/chunks, in order.
            int from = chunk * plan.groups / chunks, to = (chunk + 1) * plan.groups / chunks;
            for (int group = from; group < to; group++) {
                Im2col im2col = plan.im2col(group);
                int n0 = plan.first(group), width = im2col.columns;
                float[] planes = ws.planes(im2col.planesLength), cols = ws.cols(patch * width);
                float[] dout = ws.rows(filters * width + ROWS_SLACK);
                im2col.toPlanes(x, n0 * inSize, planes);
                im2col.unfold(planes, cols);
                gather(g, im2col, gradOut, null, n0, plan.images(group), dout, 0);
                Gemm.multiply(false, true, filters, patch, width, dout, 0, cols, 0, partial[chunk], 0, group > from);
            }
        });
        Arrays.fill(gradW, 0f);
        for (float[] p : partial) {
            for (int i = 0; i < gradW.length; i++) gradW[i] += p[i];
        }
    }

    /**
     * NCHW {@code out[n0 + image, f, oy, ox]} ← {@code rows[rowsOff + f·P + column(oy, image, ox)]}:
     * the real columns of the GEMM's output, for the images of one group.
     */
    private static void scatter(Conv2dGeometry g, Im2col im2col, float[] rows, int rowsOff,
                                int n0, int images, float[] out) {
        if (ConvPlan.rowsByVectors(im2col)) {
            VectorOutputRows.scatter(g, im2col, rows, rowsOff, n0, images, out);
            return;
        }
        int oh = g.outHeight(), ow = g.outWidth(), filters = g.outChannels();
        for (int image = 0; image < images; image++) {
            for (int f = 0; f < filters; f++) {
                int from = rowsOff + f * im2col.columns, to = ((n0 + image) * filters + f) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(rows, from + im2col.column(oy, image, 0), out, to + oy * ow, ow);
                }
            }
        }
    }

    /** Floats past the GEMM rows that {@link #gather} may write and {@link #scatter} may read ({@link VectorOutputRows#SLACK}). */
    private static final int ROWS_SLACK = VectorApi.AVAILABLE ? VectorOutputRows.SLACK : 0;

    /**
     * The adjoint of {@link #scatter}: NCHW output gradients into the GEMM's layout, spare columns
     * zero; with {@code z} non-null, ∂L/∂y · swish'(z) (see {@link #inputGrad}).
     */
    private static void gather(Conv2dGeometry g, Im2col im2col, float[] gradOut, float[] z, int n0, int images,
                               float[] rows, int rowsOff) {
        if (ConvPlan.rowsByVectors(im2col)) {
            VectorOutputRows.gather(g, im2col, gradOut, z, n0, images, rows, rowsOff);
            return;
        }
        int oh = g.outHeight(), ow = g.outWidth(), filters = g.outChannels();
        Arrays.fill(rows, rowsOff, rowsOff + filters * im2col.columns, 0f);
        for (int image = 0; image < images; image++) {
            for (int f = 0; f < filters; f++) {
                int to = rowsOff + f * im2col.columns, from = ((n0 + image) * filters + f) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int row = to + im2col.column(oy, image, 0), at = from + oy * ow;
                    System.arraycopy(gradOut, at, rows, row, ow);
                    if (z != null) {
                        for (int ox = 0; ox < ow; ox++) rows[row + ox] *= Activations.swishDerivative(z[at + ox]);
                    }
                }
            }
        }
    }
}
