// Random tensors from Philox4x32-10 (philox.cuh): the same (seed, counter) gives the CPU
// backend's numbers (CpuBackend.uniform / normal).
//
//   uniform(n, low, range, seed, counter, out):  out[i] = low + range · unit(word i % 4 of block counter + i/4)
//   normal(n, mean, stddev, seed, counter, out): out[i] = mean + stddev · z_i, z_i standard normal
//                                                number i of the stream (Box–Muller, philox.cuh)
// One thread per Philox block: four uniforms, or a pair of normals.
//
// NOTE: the float arithmetic uses round-to-nearest intrinsics (__fmul_rn, __fadd_rn), which nvcc
// never contracts into a fused multiply-add: the CPU rounds the product and the sum separately,
// and so must we for the numbers to be equal bit for bit.
#include "common.cuh"
#include "philox.cuh"

extern "C" __global__ void uniform(long long n, float low, float range, long long seed, long long counter,
                                   float* __restrict__ out) {
    GRID_STRIDE_LOOP(block, (n + 3) / 4) {
        PhiloxWords w = philox_block(seed, (unsigned long long) counter + block);
#pragma unroll
        for (int lane = 0; lane < 4; lane++) {
            long long i = block * 4 + lane;
            if (i < n) out[i] = __fadd_rn(low, __fmul_rn(range, philox_unit(w.v[lane])));
        }
    }
}

extern "C" __global__ void normal(long long n, float mean, float stddev, long long seed, long long counter,
                                  float* __restrict__ out) {
    GRID_STRIDE_LOOP(pair, (n + 1) / 2) {
        float2 z = normal_pair(seed, counter, pair);
        long long i = 2 * pair;
        out[i] = __fadd_rn(mean, __fmul_rn(stddev, z.x));
        if (i + 1 < n) out[i + 1] = __fadd_rn(mean, __fmul_rn(stddev, z.y));
    }
}
