// The CUDA C++ language as host C++: what a kernel source (.cu) needs beyond C++ to compile with
// g++ for the emulated device. build.sh force-includes this header before each .cu file.
//
// Each CUDA thread of a block runs as a fiber (device.cpp); the fibers of a block take turns on
// one host thread and switch only at a barrier (__syncthreads) or a warp shuffle. So:
//   - threadIdx and the other coordinates are plain globals that the scheduler sets before it
//     resumes a fiber;
//   - __shared__ variables are static: one copy that the fibers of the running block share
//     (blocks run one after another, each starting with what the last one left, which is as
//     undefined as the contents of fresh shared memory on a GPU);
//   - __device__ functions are ordinary inline functions.
#pragma once

#include <math.h>
#include <cmath>

using std::isnan;

struct uint3 {
    unsigned int x, y, z;
};
struct dim3 {
    unsigned int x, y, z;
};
struct float2 {
    float x, y;
};

inline float2 make_float2(float x, float y) { return float2{x, y}; }

// What libcuda.so.1 (device.cpp) exports to the host-compiled kernels.
#define EMULATOR_EXPORT extern "C" __attribute__((visibility("default")))

// The running CUDA thread's coordinates (CUDA C++ Programming Guide, "Built-in Variables").
EMULATOR_EXPORT uint3 threadIdx, blockIdx;
EMULATOR_EXPORT dim3 blockDim, gridDim;
constexpr int warpSize = 32;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

// Switch to the next fiber (device.cpp). The empty asm statements with a "memory" clobber tell
// the compiler that memory may have changed across the call: a __shared__ array whose address
// never escapes could otherwise be kept in registers across a barrier.
EMULATOR_EXPORT void cebm_emulated_syncthreads();
EMULATOR_EXPORT unsigned long long cebm_emulated_shuffle(unsigned int mask, unsigned long long value, int delta);

inline void __syncthreads() {
    asm volatile("" ::: "memory");
    cebm_emulated_syncthreads();
    asm volatile("" ::: "memory");
}

// __shfl_down_sync(mask, v, delta): lane i receives v of lane i + delta, or keeps its own past lane 31
// (CUDA C++ Programming Guide, "Warp Shuffle Functions", width 32). Every lane in mask must arrive.
template <class T>
inline T __shfl_down_sync(unsigned int mask, T value, unsigned int delta) {
    static_assert(sizeof(T) <= sizeof(unsigned long long), "a shuffled value fits in 64 bits");
    unsigned long long bits = 0;
    __builtin_memcpy(&bits, &value, sizeof(T));
    bits = cebm_emulated_shuffle(mask, bits, (int) delta);
    T out;
    __builtin_memcpy(&out, &bits, sizeof(T));
    return out;
}

// Intrinsics: the rounding ones are plain IEEE operations in round-to-nearest (build.sh compiles
// with -ffp-contract=off, so nothing is fused into an FMA), as __fadd_rn and friends promise.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline unsigned int __umulhi(unsigned int a, unsigned int b) {
    return (unsigned int) (((unsigned long long) a * b) >> 32);
}
inline double __longlong_as_double(long long bits) {
    double d;
    __builtin_memcpy(&d, &bits, sizeof d);
    return d;
}
