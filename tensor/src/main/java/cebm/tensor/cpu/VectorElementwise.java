package cebm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Elementwise} on whole vectors; the ragged end of a row is finished element by element. */
final class VectorElementwise {
    private VectorElementwise() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** One vector's worth of padding for the ragged end of a row ({@link ScratchPool}). */
    private static final ScratchPool<float[][]> TAIL = new ScratchPool<>(() -> new float[2][VL]);

    /** {@code z += bias}, {@code y = z / (1 + e^−z)}: no branch; for very negative z, e^−z ≈ 2·10³⁸ and y ≈ −0. */
    static void biasSwish(float[] z, int zOff, float[] y, int yOff, int len, float bias) {
        FloatVector b = FloatVector.broadcast(SPECIES, bias);
        int i = 0;
        for (; i <= len - VL; i += VL) biasSwishStep(b, z, zOff + i, y, yOff + i);
        int rest = len - i;
        if (rest > 0) {
            // NOTE: masked loads and stores are not compiled to AVX-512 masks in JDK 17 and cost
            // several times more, so the last partial vector goes through a padded copy; every
            // element then sees the same arithmetic (the vector exponential) wherever it sits.
            float[][] tail = TAIL.borrow();
            try {
                System.arraycopy(z, zOff + i, tail[0], 0, rest);
                biasSwishStep(b, tail[0], 0, y == null ? null : tail[1], 0);
                System.arraycopy(tail[0], 0, z, zOff + i, rest);
                if (y != null) System.arraycopy(tail[1], 0, y, yOff + i, rest);
            } finally {
                TAIL.giveBack(tail);
            }
        }
    }

    private static void biasSwishStep(FloatVector bias, float[] z, int zOff, float[] y, int yOff) {
        FloatVector v = FloatVector.fromArray(SPECIES, z, zOff).add(bias);
        v.intoArray(z, zOff);
        if (y != null) v.div(VectorExp.exp(v.neg()).add(1f)).intoArray(y, yOff);
    }

    /**
     * {@code x[src + q] = planes[shift + entry[q]]} for the whole vectors of q in [0, count), one
     * gather instruction each; returns where it stopped. 20–30 % faster than the element loop on
     * the convolution's im2col planes. NOTE: the other direction, by scatter instructions, measured
     * slower than its element loop, so it has none.
     */
    static int gather(float[] x, int src, float[] planes, int shift, int[] entry, int count) {
        int q = 0;
        for (; q <= count - VL; q += VL) FloatVector.fromArray(SPECIES, planes, shift, entry, q).intoArray(x, src + q);
        return q;
    }

    static void addInto(float[] dst, int dOff, float[] src, int sOff, int len) {
        int i = 0;
        for (; i <= len - VL; i += VL) {
            FloatVector.fromArray(SPECIES, dst, dOff + i).add(FloatVector.fromArray(SPECIES, src, sOff + i))
                    .intoArray(dst, dOff + i);
        }
        for (; i < len; i++) dst[dOff + i] += src[sOff + i];
    }
}
