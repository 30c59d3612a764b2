// One Adam step (Kingma & Ba, 2015) in place on the parameters and both moments:
//
//   adam_update(n, lr, beta1, beta2, eps, c1, c2, param, grad, m, v), all dense [n]:
//       m ← β1·m + (1 − β1)·g
//       v ← β2·v + (1 − β2)·g·g
//       param ← param − lr · (m / c1) / (sqrt(v / c2) + eps)
// with the bias corrections c1 = 1 − β1^t and c2 = 1 − β2^t computed once, in double, on the host.
// One thread per element.
//
// NOTE: the arithmetic is CpuBackend.adamUpdate's, operation for operation: the moments in float
// with round-to-nearest intrinsics (never contracted into an FMA), the step in double; double
// division and sqrt are correctly rounded on the GPU as in Java, so the results are the CPU's.
#include "common.cuh"

extern "C" __global__ void adam_update(long long n, float lr, float beta1, float beta2, float eps, double c1, double c2,
                                       float* __restrict__ param, const float* __restrict__ grad,
                                       float* __restrict__ m, float* __restrict__ v) {
    GRID_STRIDE_LOOP(i, n) {
        float g = grad[i];
        float mi = __fadd_rn(__fmul_rn(beta1, m[i]), __fmul_rn(1.0f - beta1, g));
        float vi = __fadd_rn(__fmul_rn(beta2, v[i]), __fmul_rn(__fmul_rn(1.0f - beta2, g), g));
        m[i] = mi;
        v[i] = vi;
        double m_hat = mi / c1, v_hat = vi / c2;
        param[i] = __fsub_rn(param[i], (float) (lr * m_hat / (sqrt(v_hat) + eps)));
    }
}
