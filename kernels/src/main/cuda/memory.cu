// Memory kernels: filling a buffer, and making a dense copy of a strided view.
//
//   fill(n, value, out):                         out[i] = value
//   strided_copy(n, rank, shape, strides, offset, src, dst):
//                                                dst[i] = src[offset + Σ_d index_d(i)·strides[d]]
// where index_d(i) is the d-th coordinate of row-major index i in shape. Views with stride 0
// (broadcast) and permutations are all read through the same path.
#include "common.cuh"

extern "C" __global__ void fill(long long n, float value, float* out) {
    GRID_STRIDE_LOOP(i, n) out[i] = value;
}

extern "C" __global__ void strided_copy(long long n, int rank, Dims shape, Dims strides, long long offset,
                                        const float* __restrict__ src, float* __restrict__ dst) {
    GRID_STRIDE_LOOP(i, n) dst[i] = src[strided_offset(i, rank, shape, strides, offset)];
}
