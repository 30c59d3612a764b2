package cebm.kernels;

import cebm.tensor.Tensor;

import java.util.Arrays;

/**
 * The replay buffer's gather and scatter: copies of whole rows (slices along dimension 0) between
 * dense device tensors, by the {@code copy_rows} kernel of rows.cu.
 *
 * <p>The row lists are host arrays. They reach the kernel by value, as kernel parameters, up to
 * {@link #ROWS_PER_LAUNCH} rows per launch: no host-to-device copy, which would wait for the
 * queued kernels and could not be replayed in a CUDA graph.
 */
final class RowCopy {
    /** ROWS_PER_LAUNCH in rows.cu (KernelSourcesTest checks): the length of the kernel's row lists. */
    static final int ROWS_PER_LAUNCH = 256;

    private RowCopy() {}

    /** {@code out[i] = in[rows[i]]}; out has {@code rows.length} rows. */
    static void gather(CudaBackend cuda, Tensor in, int[] rows, Tensor out) {
        for (int row : rows) checkRow("gatherRows", row, in.size(0));
        int[] position = new int[rows.length];
        Arrays.setAll(position, i -> i);
        copy(cuda, in, rows, out, position);
    }

    /** {@code dst[rows[i]] = src[i]}. */
    static void scatter(CudaBackend cuda, Tensor dst, int[] rows, Tensor src) {
        for (int row : rows) checkRow("scatterRows", row, dst.size(0));
        // NOTE: the replay buffer draws with replacement, so a row may be listed twice. On the CPU
        // the last copy wins; copies in parallel would race, so only each row's last copy is made.
        boolean[] written = new boolean[dst.size(0)];
        int[] from = new int[rows.length], to = new int[rows.length];
        int count = 0;
        for (int i = rows.length - 1; i >= 0; i--) {
            if (written[rows[i]]) continue;
            written[rows[i]] = true;
            from[count] = i;
            to[count] = rows[i];
            count++;
        }
        copy(cuda, src, Arrays.copyOf(from, count), dst, Arrays.copyOf(to, count));
    }

    /** {@code dst[to[i]] = src[from[i]]} for every i; no row of dst is listed twice. */
    private static void copy(CudaBackend cuda, Tensor src, int[] from, Tensor dst, int[] to) {
        long rowSize = rowSize(src);
        for (int start = 0; start < from.length; start += ROWS_PER_LAUNCH) {
            int count = Math.min(ROWS_PER_LAUNCH, from.length - start);
            // NOTE: copyOfRange pads with zeros: the kernel reads a whole list of ROWS_PER_LAUNCH ints.
            int[] fromChunk = Arrays.copyOfRange(from, start, start + ROWS_PER_LAUNCH);
            int[] toChunk = Arrays.copyOfRange(to, start, start + ROWS_PER_LAUNCH);
            cuda.kernel("rows", "copy_rows").launchLinear(count * rowSize, count, rowSize, fromChunk, toChunk,
                    CudaBackend.address(src), CudaBackend.address(dst));
        }
    }

    /** Elements per row: the product of the dimensions after the first. */
    private static long rowSize(Tensor t) {
        long size = 1;
        for (int d = 1; d < t.rank(); d++) size *= t.size(d);
        return size;
    }

    private static void checkRow(String op, int row, int rows) {
        if (row < 0 || row >= rows) throw new IndexOutOfBoundsException(op + ": row " + row + " outside [0, " + rows + ")");
    }
}
