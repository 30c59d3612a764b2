package cebm.tensor.cpu.elementwise;

import cebm.tensor.UnaryOp;
import cebm.tensor.cpu.parallel.VectorApi;

/**
 * The elementwise loops around the convolution's GEMMs, on whole vectors
 * ({@link VectorElementwise}) when the Vector API is there and as plain loops otherwise.
 * The JIT does not vectorise either loop by itself: {@link #addInto} could alias (two float
 * arrays may be one), and the Swish calls {@code Math.exp} in double, one element at a time,
 * which would cost more than the convolution itself on the first layer of the encoder.
 */
public final class Elementwise {
    private Elementwise() {}

    /**
     * The epilogue of the fused convolution on one row: {@code z = acc + bias} in place, and when
     * {@code y} is non-null also {@code y = swish(z) = z·σ(z)}.
     */
    public static void biasSwish(float[] z, int zOff, float[] y, int yOff, int len, float bias) {
        if (VectorApi.AVAILABLE) {
            VectorElementwise.biasSwish(z, zOff, y, yOff, len, bias);
            return;
        }
        for (int i = 0; i < len; i++) {
            float v = z[zOff + i] + bias;
            z[zOff + i] = v;
            if (y != null) y[yOff + i] = v * UnaryOp.sigmoid(v);
        }
    }

    /** {@code dst[dOff + i] += src[sOff + i]} for i < len. */
    public static void addInto(float[] dst, int dOff, float[] src, int sOff, int len) {
        if (VectorApi.AVAILABLE) {
            VectorElementwise.addInto(dst, dOff, src, sOff, len);
            return;
        }
        for (int i = 0; i < len; i++) dst[dOff + i] += src[sOff + i];
    }
}
