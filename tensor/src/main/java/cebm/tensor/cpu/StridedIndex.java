package cebm.tensor.cpu;

/**
 * The storage offsets of a strided view, listed in row-major order of its shape. Ops on
 * contiguous data take fast paths; every other layout goes through this one general walk.
 */
public final class StridedIndex {
    private StridedIndex() {}

    public static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = 1;
        for (int d : shape) n *= d;
        int[] out = new int[n];
        if (n == 0) return out;
        int rank = shape.length;
        int[] counter = new int[rank];
        int position = offset;
        for (int i = 0; i < n; i++) {
            out[i] = position;
            // Odometer increment: bump the last dimension, carry into earlier ones.
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                position += strides[d];
                if (counter[d] < shape[d]) break;
                position -= strides[d] * shape[d];
                counter[d] = 0;
            }
        }
        return out;
    }
}
