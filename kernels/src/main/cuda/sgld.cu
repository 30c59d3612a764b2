// One step of stochastic gradient Langevin dynamics on the chains, in place (spec §2):
//
//   sgld_update(n, step, noise_std, seed, counter, x, grad):
//       x[i] ← x[i] − step · grad[i] + noise_std · ε_i,   x, grad dense [n]
// with ε_i standard normal number i of the stream (seed, counter), drawn by the same device
// function as the `normal` kernel (philox.cuh), so ε is exactly what normal(...) would return.
// One thread per pair of elements, since one Philox block gives two normals.
//
// The SGLD loop recorded as a CUDA graph (SgldGraph.java) replays its launches with the arguments
// they were recorded with, so there the counter cannot be an argument. It lives in device memory:
//   sgld_update_at(n, step, noise_std, seed, counter_slot, x, grad)   as sgld_update, counter = *counter_slot
//   set_counter(counter_slot, value):      *counter_slot = value          (before the replays)
//   advance_counter(counter_slot, blocks): *counter_slot += blocks        (the last launch of a step)
//
// NOTE: round-to-nearest intrinsics, never fused into an FMA, round as the CPU's float expression
// ((x − step·grad) + noise_std·ε) does.
#include "common.cuh"
#include "philox.cuh"

__device__ __forceinline__ float sgld_step(float x, float grad, float step, float noise_std, float noise) {
    return __fadd_rn(__fsub_rn(x, __fmul_rn(step, grad)), __fmul_rn(noise_std, noise));
}

__device__ __forceinline__ void sgld_update_pairs(long long n, float step, float noise_std, long long seed,
                                                  long long counter, float* __restrict__ x,
                                                  const float* __restrict__ grad) {
    GRID_STRIDE_LOOP(pair, (n + 1) / 2) {
        float2 noise = normal_pair(seed, counter, pair);
        long long i = 2 * pair;
        x[i] = sgld_step(x[i], grad[i], step, noise_std, noise.x);
        if (i + 1 < n) x[i + 1] = sgld_step(x[i + 1], grad[i + 1], step, noise_std, noise.y);
    }
}

extern "C" __global__ void sgld_update(long long n, float step, float noise_std, long long seed, long long counter,
                                       float* __restrict__ x, const float* __restrict__ grad) {
    sgld_update_pairs(n, step, noise_std, seed, counter, x, grad);
}

// region counter (quoted in docs/cuda-kernels.md)
extern "C" __global__ void sgld_update_at(long long n, float step, float noise_std, long long seed,
                                          const long long* __restrict__ counter_slot, float* __restrict__ x,
                                          const float* __restrict__ grad) {
    sgld_update_pairs(n, step, noise_std, seed, *counter_slot, x, grad);
}

extern "C" __global__ void set_counter(long long* counter_slot, long long value) {
    *counter_slot = value;
}

extern "C" __global__ void advance_counter(long long* counter_slot, long long blocks) {
    *counter_slot += blocks;
}
// endregion
