package cebm.tensor;

import java.util.Arrays;

/**
 * Static helpers for shapes and strides: element counts, row-major strides, broadcasting.
 *
 * <p>Shapes are plain {@code int[]} (outermost dimension first, as in PyTorch: images are
 * {@code [N, C, H, W]}). A shape of length 0 is a scalar with one element.
 */
public final class Shape {
    private Shape() {}

    /** Number of elements of a tensor of this shape (1 for a scalar). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + show(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + show(shape) + " has more than 2^31-1 elements");
        return (int) n;
    }

    /** Row-major (C order) strides: the last dimension is contiguous. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /**
     * The broadcast shape of {@code a} and {@code b} under NumPy rules: align at the right;
     * each pair of dimensions must be equal or one of them 1.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + show(a) + " and " + show(b)
                        + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as if it had shape
     * {@code target}: broadcast dimensions get stride 0.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int shift = target.length - shape.length;
        for (int i = shift; i < target.length; i++) {
            out[i] = shape[i - shift] == 1 ? 0 : strides[i - shift];
        }
        return out;
    }

    /** Normalises a possibly negative dimension index ({@code -1} is the last). */
    public static int axis(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for a tensor of rank " + rank);
        }
        return d;
    }

    public static String show(int[] shape) {
        return Arrays.toString(shape);
    }
}
