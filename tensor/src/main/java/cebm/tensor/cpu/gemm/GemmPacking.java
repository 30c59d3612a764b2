package cebm.tensor.cpu.gemm;

import java.util.Arrays;

/**
 * Copies a block of a GEMM operand into the panel layout the micro-kernel reads.
 *
 * <p>A and B are packed by the same routine: a block of {@code depth} vectors of the operand
 * (columns of A or rows of B, see {@link GemmOperand}), {@code count} elements each, becomes a
 * sequence of panels {@code width} elements wide, each stored depth-major:
 * {@code dst[panel·width·depth + p·width + r] = vector[p0 + p], element e0 + panel·width + r}.
 * The micro-kernel then walks a panel with unit stride, one {@code width}-long slice per step
 * of its depth loop. Past the end of the block the last panel is zero-filled, so that the
 * kernel's spare lanes compute on zeros rather than on stale (possibly subnormal, slow) data.
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * Packs vectors p0 … p0+depth−1, elements e0 … e0+count−1, into {@code ceil(count / width)}
     * panels from {@code dst[dOff]} on.
     */
    static void pack(GemmOperand x, int p0, int depth, int e0, int count, int width, float[] dst, int dOff) {
        float[] src = x.data();
        int[] start = x.start();
        int stride = x.stride();
        for (int r0 = 0, d = dOff; r0 < count; r0 += width, d += width * depth) {
            int rows = Math.min(width, count - r0), first = (e0 + r0) * stride;
            if (stride == 1) {
                // A panel row is a contiguous run of the source: one copy per depth step.
                for (int p = 0; p < depth; p++) System.arraycopy(src, start[p0 + p] + first, dst, d + p * width, rows);
            } else {
                // Strided source (a row of A, a column of B): walk each one along the depth.
                for (int r = 0; r < rows; r++) {
                    int e = first + r * stride;
                    for (int p = 0; p < depth; p++) dst[d + p * width + r] = src[start[p0 + p] + e];
                }
            }
            if (rows < width) {
                for (int p = 0; p < depth; p++) Arrays.fill(dst, d + p * width + rows, d + (p + 1) * width, 0f);
            }
        }
    }
}
