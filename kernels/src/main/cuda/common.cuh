// Shared by every kernel family: the layout of strided tensors, and grid-stride loops.
//
// A tensor reaches a kernel as a device pointer to its storage plus, where it may be a view,
// its shape, strides and offset (in elements). Shapes and strides travel by value in a Dims
// struct, so a launch needs no device-side metadata buffer.
#pragma once

#define MAX_RANK 8

struct Dims {
    int v[MAX_RANK];
};

// The storage offset of the element with row-major index i of a tensor of the given shape and strides.
__device__ __forceinline__ long long strided_offset(long long i, int rank, const Dims& shape,
                                                     const Dims& strides, long long offset) {
    long long at = offset;
    for (int d = rank - 1; d >= 0; d--) {
        int size = shape.v[d];
        at += (i % size) * (long long) strides.v[d];
        i /= size;
    }
    return at;
}

// region grid-stride-loop (quoted in docs/cuda-kernels.md)
// for (i = global thread index; i < n; i += all threads): a launch of any size covers any n.
#define GRID_STRIDE_LOOP(i, n) \
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < (n); \
         i += (long long) gridDim.x * blockDim.x)
// endregion
