package cebm.autograd;

import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;

/** Random test inputs from a seeded stream: contiguous, or deliberately non-contiguous views. */
final class Inputs {
    private final RandomStream random;

    Inputs(long seed) {
        random = new RandomStream(seed);
    }

    /** Uniform on [-1, 1). */
    Tensor uniform(int... shape) {
        return random.uniform(CpuBackend.INSTANCE, -1f, 1f, shape);
    }

    /** Uniform on [low, high). */
    Tensor uniform(float low, float high, int... shape) {
        return random.uniform(CpuBackend.INSTANCE, low, high, shape);
    }

    /** A [rows, cols] view that is the transpose of a contiguous [cols, rows] tensor: strides (1, rows). */
    Tensor transposed(int rows, int cols) {
        return uniform(cols, rows).transpose(0, 1);
    }

    /** A [N, C, H, W] view made by permuting a contiguous [N, H, W, C] tensor (channels-last storage). */
    Tensor channelsLast(int n, int c, int h, int w) {
        return uniform(n, h, w, c).permute(0, 3, 1, 2);
    }

    /** Strictly negative values: the second natural parameter of a Gaussian, −(h²) − 0.5 style. */
    Tensor negative(int... shape) {
        return Ops.add(Ops.neg(Ops.square(uniform(shape))), -0.5f);
    }
}
