// region header (quoted in docs/cuda-kernels.md)
// The batched Gaussian log-normalizer and its gradient (spec §1), for B images, K latent
// dimensions and L prior components (L = 1: the spherical Gaussian; L = 10: the mixture).
// Built by nvcc.sh into log_normalizer.fatbin.
//
//   t1, t2 [B, K]   λ1, λ2 [L, K]   g, out [B, L]   (all dense, row-major)
//   a1 = λ1[l,k] + t1[b,k],  a2 = λ2[l,k] + t2[b,k]                       (a2 < 0)
//   B(a1, a2) = −a1² / (4 a2) − ½ log(−2 a2)
//   ∂B/∂a1 = −a1 / (2 a2) = μ̃        ∂B/∂a2 = a1² / (4 a2²) − 1 / (2 a2) = μ̃² + σ̃²
//
//   log_normalizer        out[b,l] = Σ_k B(a1, a2)
//   log_normalizer_grad_t     ∂/∂t1[b,k] = Σ_l g[b,l]·μ̃,  ∂/∂t2[b,k] = Σ_l g[b,l]·(μ̃² + σ̃²)
//   log_normalizer_grad_lambda ∂/∂λ1[l,k] = Σ_b g[b,l]·μ̃, ∂/∂λ2[l,k] = Σ_b g[b,l]·(μ̃² + σ̃²)
//
// Numerics mirror the CPU reference (LogNormalizerCpu): a1 and a2 are float sums, the terms are
// evaluated in double; out and ∂/∂λ accumulate in double and round once, ∂/∂t adds the terms
// rounded to float, in l order. Every sum runs in a fixed order: deterministic, no atomics.
// endregion
// region forward (quoted in docs/cuda-kernels.md)
#include "common.cuh"

constexpr int WARP = 32;

// The natural parameters of pair (b, l) at dimension k: float sums, like the reference's.
__device__ __forceinline__ void natural(const float* t1, const float* t2, const float* lambda1, const float* lambda2,
                                        int tAt, int lambdaAt, double& a1, double& a2) {
    a1 = (double) (lambda1[lambdaAt] + t1[tAt]);
    a2 = (double) (lambda2[lambdaAt] + t2[tAt]);
}

// One warp per pair (b, l): lane j sums k = j, j + 32, ..., then a shuffle tree adds the lanes.
extern "C" __global__ void log_normalizer(int batch, int dims, int components,
                                          const float* __restrict__ t1, const float* __restrict__ t2,
                                          const float* __restrict__ lambda1, const float* __restrict__ lambda2,
                                          float* __restrict__ out) {
    const long long pair = (blockIdx.x * (long long) blockDim.x + threadIdx.x) / WARP;
    const int lane = threadIdx.x % WARP;
    if (pair >= (long long) batch * components) return;  // whole warps: pair is the same across a warp
    const int b = (int) (pair / components), l = (int) (pair % components);
    double sum = 0.0;
    for (int k = lane; k < dims; k += WARP) {
        double a1, a2;
        natural(t1, t2, lambda1, lambda2, b * dims + k, l * dims + k, a1, a2);
        sum += -a1 * a1 / (4.0 * a2) - 0.5 * log(-2.0 * a2);
    }
    for (int offset = WARP / 2; offset > 0; offset /= 2) sum += __shfl_down_sync(0xffffffffu, sum, offset);
    if (lane == 0) out[pair] = (float) sum;
}
// endregion

// g[b,l] times the mean parameters (μ̃, μ̃² + σ̃²) of pair (b, l) at dimension k.
__device__ __forceinline__ void weighted_means(const float* g, const float* t1, const float* t2,
                                               const float* lambda1, const float* lambda2,
                                               int b, int l, int k, int dims, int components,
                                               double& dA1, double& dA2) {
    double a1, a2;
    natural(t1, t2, lambda1, lambda2, b * dims + k, l * dims + k, a1, a2);
    double weight = g[b * components + l];
    double mean = -a1 / (2.0 * a2);
    dA1 = weight * mean;
    dA2 = weight * (mean * mean - 1.0 / (2.0 * a2));
}

// One thread per (b, k): sums over the components l, in float like the reference.
extern "C" __global__ void log_normalizer_grad_t(int batch, int dims, int components, const float* __restrict__ g,
                                                 const float* __restrict__ t1, const float* __restrict__ t2,
                                                 const float* __restrict__ lambda1, const float* __restrict__ lambda2,
                                                 float* __restrict__ gradT1, float* __restrict__ gradT2) {
    GRID_STRIDE_LOOP(i, (long long) batch * dims) {
        const int b = (int) (i / dims), k = (int) (i % dims);
        float sum1 = 0.0f, sum2 = 0.0f;
        for (int l = 0; l < components; l++) {
            double dA1, dA2;
            weighted_means(g, t1, t2, lambda1, lambda2, b, l, k, dims, components, dA1, dA2);
            sum1 += (float) dA1;
            sum2 += (float) dA2;
        }
        gradT1[i] = sum1;
        gradT2[i] = sum2;
    }
}

// One thread per (l, k): sums over the images b, in double, rounded once.
extern "C" __global__ void log_normalizer_grad_lambda(int batch, int dims, int components, const float* __restrict__ g,
                                                      const float* __restrict__ t1, const float* __restrict__ t2,
                                                      const float* __restrict__ lambda1, const float* __restrict__ lambda2,
                                                      float* __restrict__ gradLambda1, float* __restrict__ gradLambda2) {
    GRID_STRIDE_LOOP(i, (long long) components * dims) {
        const int l = (int) (i / dims), k = (int) (i % dims);
        double sum1 = 0.0, sum2 = 0.0;
        for (int b = 0; b < batch; b++) {
            double dA1, dA2;
            weighted_means(g, t1, t2, lambda1, lambda2, b, l, k, dims, components, dA1, dA2);
            sum1 += dA1;
            sum2 += dA2;
        }
        gradLambda1[i] = (float) sum1;
        gradLambda2[i] = (float) sum2;
    }
}
