// Elementwise kernels: a function of one tensor, of two broadcast tensors, and Swish's backward.
//
//   map_unary(n, op, a, out):          out[i] = op(a[i]),                  a dense [n]
//   zip_dense(n, op, a, b, out):       out[i] = op(a[i], b[i]),            a, b dense [n]
//   zip_strided(n, op, rank, shape, a_strides, a_offset, b_strides, b_offset, a, b, out):
//                                      out[i] = op(a[at_a(i)], b[at_b(i)]) for row-major index i of
//                                      the broadcast shape; a broadcast dimension has stride 0
//   zip_scalar(n, op, scalar_first, s, a, out):
//                                      out[i] = op(s, a[i]) if scalar_first, else op(a[i], s); for
//                                      the host scalars of expressions such as x·γ or a + 1
//   swish_backward(n, grad_y, z, out): out[i] = grad_y[i] · σ(z)·(1 + z·(1 − σ(z))), z = z[i]
//                                      (swish(z) = z·σ(z), so swish'(z) = σ(z) + z·σ(z)·(1 − σ(z)))
// One thread per output element. The op is a code, passed as an int: one kernel per arity
// instead of one per function, and the switch on a value every thread shares costs nothing.
#include "common.cuh"

// The orders of cebm.tensor.UnaryOp and BinaryOp: Java passes op.ordinal() (KernelSourcesTest checks).
enum class UnaryOp : int { NEG, EXP, LOG, SQRT, SQUARE, SIGMOID, SWISH };
enum class BinaryOp : int { ADD, SUB, MUL, DIV };

// σ(x) = 1 / (1 + e^-x), written so that neither branch overflows: e^-|x| ≤ 1 (UnaryOp.sigmoid).
__device__ __forceinline__ float sigmoid(float x) {
    if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

__device__ __forceinline__ float apply_unary(UnaryOp op, float x) {
    switch (op) {
        case UnaryOp::NEG: return -x;
        case UnaryOp::EXP: return expf(x);
        case UnaryOp::LOG: return logf(x);
        case UnaryOp::SQRT: return sqrtf(x);
        case UnaryOp::SQUARE: return x * x;
        case UnaryOp::SIGMOID: return sigmoid(x);
        case UnaryOp::SWISH: return x * sigmoid(x);
    }
    return nanf("");  // an unknown op code: the NaN shows in any comparison
}

__device__ __forceinline__ float apply_binary(BinaryOp op, float a, float b) {
    switch (op) {
        case BinaryOp::ADD: return a + b;
        case BinaryOp::SUB: return a - b;
        case BinaryOp::MUL: return a * b;
        case BinaryOp::DIV: return a / b;
    }
    return nanf("");
}

extern "C" __global__ void map_unary(long long n, int op, const float* __restrict__ a, float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) out[i] = apply_unary((UnaryOp) op, a[i]);
}

extern "C" __global__ void zip_dense(long long n, int op, const float* __restrict__ a, const float* __restrict__ b,
                                     float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) out[i] = apply_binary((BinaryOp) op, a[i], b[i]);
}

extern "C" __global__ void zip_strided(long long n, int op, int rank, Dims shape, Dims a_strides, long long a_offset,
                                       Dims b_strides, long long b_offset, const float* __restrict__ a,
                                       const float* __restrict__ b, float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) {
        float x = a[strided_offset(i, rank, shape, a_strides, a_offset)];
        float y = b[strided_offset(i, rank, shape, b_strides, b_offset)];
        out[i] = apply_binary((BinaryOp) op, x, y);
    }
}

extern "C" __global__ void zip_scalar(long long n, int op, int scalar_first, float s, const float* __restrict__ a,
                                      float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) out[i] = scalar_first ? apply_binary((BinaryOp) op, s, a[i]) : apply_binary((BinaryOp) op, a[i], s);
}

extern "C" __global__ void swish_backward(long long n, const float* __restrict__ grad_y, const float* __restrict__ z,
                                          float* __restrict__ out) {
    GRID_STRIDE_LOOP(i, n) {
        float s = sigmoid(z[i]);
        out[i] = grad_y[i] * s * (1.0f + z[i] * (1.0f - s));
    }
}
