package cebm.kernels;

import cebm.tensor.Tensor;

/**
 * A tensor's shape and strides as the kernels' {@code Dims} structs (common.cuh): int arrays of
 * MAX_RANK entries, passed by value. Size-1 dimensions are dropped, since they never move an index.
 */
record Strided(int rank, int[] shape, int[] strides) {
    static final int MAX_RANK = 8;

    static Strided of(Tensor t) {
        return of(t.shape(), t.strides());
    }

    static Strided of(int[] shape, int[] strides) {
        int[] s = new int[MAX_RANK], st = new int[MAX_RANK];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (rank == MAX_RANK) throw new IllegalArgumentException("the CUDA kernels take at most " + MAX_RANK + " dimensions");
            s[rank] = shape[d];
            st[rank] = strides[d];
            rank++;
        }
        return new Strided(rank, s, st);
    }
}
