// Copies whole rows (slices along dimension 0) between dense tensors: the replay buffer's gather
// (dst[k] = src[rows[k]]) and scatter (dst[rows[k]] = src[k]) are both
//
//   copy_rows(count, row_size, from, to, src, dst):  dst[to[k], c] = src[from[k], c]
//                                                    for k < count, c < row_size
// One thread per copied element: consecutive threads copy consecutive elements of a row.
//
// The row lists travel by value, as kernel parameters (ROWS_PER_LAUNCH of each, 2 KiB in all,
// within the classic 4 KiB parameter limit): a copy from the host to a device buffer would have
// to wait for the queued kernels, and it could not be replayed in a CUDA graph. Longer lists take
// several launches (RowCopy.java).
#include "common.cuh"

#define ROWS_PER_LAUNCH 256

struct RowList {
    int v[ROWS_PER_LAUNCH];
};

extern "C" __global__ void copy_rows(int count, long long row_size, RowList from, RowList to,
                                     const float* __restrict__ src, float* __restrict__ dst) {
    GRID_STRIDE_LOOP(i, count * row_size) {
        long long k = i / row_size, c = i % row_size;
        dst[to.v[k] * row_size + c] = src[from.v[k] * row_size + c];
    }
}
