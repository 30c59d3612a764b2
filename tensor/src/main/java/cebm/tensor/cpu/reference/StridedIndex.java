package cebm.tensor.cpu.reference;

import cebm.tensor.Workspace;

/**
 * The storage offsets of a strided view, listed in row-major order of its shape. Ops on
 * contiguous data take fast paths; every other layout goes through this one general walk.
 *
 * <p>The list is scratch for the op that asks for it: inside a {@link Workspace} scope it is a
 * recycled array (a broadcast add in the SGLD loop would otherwise allocate one per step), so it
 * must not be kept past the op.
 */
public final class StridedIndex {
    private StridedIndex() {}

    public static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = 1;
        for (int d : shape) n *= d;
        int[] out = Workspace.lend(int[].class, n, int[]::new);
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
