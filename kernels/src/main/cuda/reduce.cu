// Reductions along one dimension, the input dense and seen as [outer, len, inner] (the reduced
// dimension in the middle); the output is [outer, inner], the reduced dimension kept with size 1.
//
//   reduce_columns(n, len, inner, op, in, out):  out[o, j] = op_{r < len} in[o, r, j],   n = outer·inner
//   reduce_rows(len, op, in, out):               the same when inner = 1 (the last dimension)
//   argmax(n, len, inner, in, out):              out[o, j] = the first r with the largest in[o, r, j]
// op is SUM or MAX; both accumulate in double, as the CPU's sum does (exact for MAX).
//
// Parallelisation: with inner > 1, one thread per output walks its column; neighbouring threads
// read neighbouring j, so every step of the walk is one coalesced load per warp (sums over the
// batch: [B, F] along B). With inner = 1 a thread per row would read with stride len, so
// instead one block per row strides through it and combines the partial results by warp
// shuffles and shared memory (sums over pixels or the latent, [·, len] along len). argmax runs on
// small shapes (class scores [B, L]) and walks sequentially, to pick exactly the CPU's index.
#include "common.cuh"

// The order of cebm.tensor.ReduceOp: Java passes op.ordinal() (KernelSourcesTest checks).
enum class ReduceOp : int { SUM, MAX };

__device__ __forceinline__ double reduce_identity(ReduceOp op) {
    return op == ReduceOp::SUM ? 0.0 : -__longlong_as_double(0x7ff0000000000000LL);  // 0 or −∞
}

__device__ __forceinline__ double reduce_combine(ReduceOp op, double acc, double x) {
    if (op == ReduceOp::SUM) return acc + x;
    return isnan(acc) || acc > x ? acc : x;  // a NaN wins, as in Java's Math.max
}

extern "C" __global__ void reduce_columns(long long n, int len, int inner, int op, const float* __restrict__ in,
                                          float* __restrict__ out) {
    ReduceOp reduction = (ReduceOp) op;
    GRID_STRIDE_LOOP(i, n) {
        long long o = i / inner, j = i % inner;
        const float* column = in + o * len * inner + j;
        double acc = reduce_identity(reduction);
        for (int r = 0; r < len; r++) acc = reduce_combine(reduction, acc, column[(long long) r * inner]);
        out[i] = (float) acc;
    }
}

__device__ __forceinline__ double warp_reduce(ReduceOp op, double x) {
    for (int offset = 16; offset > 0; offset /= 2) x = reduce_combine(op, x, __shfl_down_sync(0xffffffffu, x, offset));
    return x;
}

// Launched with one block per row (gridDim.x = outer) and blockDim.x a multiple of 32, at most 1024.
extern "C" __global__ void reduce_rows(int len, int op, const float* __restrict__ in, float* __restrict__ out) {
    __shared__ double warp_results[32];
    ReduceOp reduction = (ReduceOp) op;
    const float* row = in + (long long) blockIdx.x * len;
    double acc = reduce_identity(reduction);
    for (int r = threadIdx.x; r < len; r += blockDim.x) acc = reduce_combine(reduction, acc, row[r]);

    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    acc = warp_reduce(reduction, acc);
    if (lane == 0) warp_results[warp] = acc;
    __syncthreads();
    if (warp == 0) {
        acc = lane < blockDim.x / 32 ? warp_results[lane] : reduce_identity(reduction);
        acc = warp_reduce(reduction, acc);
        if (lane == 0) out[blockIdx.x] = (float) acc;
    }
}

extern "C" __global__ void argmax(long long n, int len, int inner, const float* __restrict__ in, float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) {
        long long o = i / inner, j = i % inner;
        const float* column = in + o * len * inner + j;
        int best = 0;
        float best_value = column[0];
        for (int r = 1; r < len; r++) {
            float x = column[(long long) r * inner];
            if (x > best_value) {  // strictly greater: the first maximum wins, as on the CPU
                best = r;
                best_value = x;
            }
        }
        out[i] = (float) best;
    }
}
