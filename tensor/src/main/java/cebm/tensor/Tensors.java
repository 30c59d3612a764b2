package cebm.tensor;

import cebm.tensor.cpu.CpuBackend;

/**
 * Making tensors on the CPU, the home of data read from files and of constants; other backends
 * make theirs through {@link Backend}, or take a CPU tensor with {@link Tensor#to}. Kept apart
 * from {@link Tensor}, so that the tensor itself knows no backend.
 */
public final class Tensors {
    private Tensors() {}

    /** A contiguous tensor holding a copy of {@code data}, read in row-major order. */
    public static Tensor of(float[] data, int... shape) {
        if (data.length != Shape.numel(shape)) {
            throw new IllegalArgumentException("Tensors.of: " + data.length + " values do not fill shape " + Shape.show(shape));
        }
        return CpuBackend.INSTANCE.fromArray(data.clone(), shape);
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    public static Tensor zeros(int... shape) {
        return CpuBackend.INSTANCE.full(0f, shape);
    }

    public static Tensor ones(int... shape) {
        return CpuBackend.INSTANCE.full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        return CpuBackend.INSTANCE.full(value, shape);
    }
}
