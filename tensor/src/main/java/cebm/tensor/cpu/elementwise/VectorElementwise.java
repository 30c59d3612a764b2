package cebm.tensor.cpu.elementwise;

import cebm.tensor.cpu.parallel.ScratchPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** {@link Elementwise} on whole vectors; the ragged end of a row is finished element by element, or by a vector overlapping the one before it. */
public final class VectorElementwise {
    private VectorElementwise() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** One vector's worth of padding for the ragged end of a row ({@link ScratchPool}). */
    private static final ScratchPool<float[][]> TAIL = new ScratchPool<>(() -> new float[2][VL]);

    /** {@code z += bias}, {@code y = z / (1 + e^−z)}: no branch; for very negative z, e^−z ≈ 2·10³⁸ and y ≈ −0. */
    static void biasSwish(float[] z, int zOff, float[] y, int yOff, int len, float bias) {
        // NOTE: one call of biasSwishVectors only. A second one for the ragged end would inline
        // the exponential twice into the convolution's loop, exhaust the JIT's inlining budget, and
        // leave one copy boxing every vector, garbage at every call. A row shorter than a vector
        // goes through a padded copy.
        float[][] tail = len < VL ? TAIL.borrow() : null;
        try {
            // The row itself, or its padded copy.
            float[] zRow = z, yRow = y;
            int zAt = zOff, yAt = yOff;
            if (tail != null) {
                System.arraycopy(z, zOff, tail[0], 0, len);
                zRow = tail[0];
                yRow = y == null ? null : tail[1];
                zAt = yAt = 0;
            }
            biasSwishVectors(zRow, zAt, yRow, yAt, Math.max(len, VL), bias);
            if (tail != null) {
                System.arraycopy(tail[0], 0, z, zOff, len);
                if (y != null) System.arraycopy(tail[1], 0, y, yOff, len);
            }
        } finally {
            if (tail != null) TAIL.giveBack(tail);
        }
    }

    /**
     * {@link #biasSwish} over {@code len ≥ VL} elements. Where len is not a whole number of
     * vectors the last vector overlaps the one before it: the elements past the last whole vector
     * take their bias first, so that this vector adds none, and every element sees the same
     * arithmetic (the vector exponential) wherever it sits. NOTE: the loop body is written out here
     * rather than in a helper taking the bias vector: where the JIT does not inline such a helper,
     * every vector crossing the call is boxed.
     */
    private static void biasSwishVectors(float[] z, int zOff, float[] y, int yOff, int len, float bias) {
        for (int i = len - len % VL; i < len; i++) z[zOff + i] += bias;
        for (int i = 0; i < len; i += VL) {
            int at = Math.min(i, len - VL);
            FloatVector v = FloatVector.fromArray(SPECIES, z, zOff + at).add(at == i ? bias : 0f);
            v.intoArray(z, zOff + at);
            if (y != null) v.div(VectorExp.exp(v.neg()).add(1f)).intoArray(y, yOff + at);
        }
    }

    /**
     * {@code x[src + q] = planes[shift + entry[q]]} for the whole vectors of q in [0, count), one
     * gather instruction each, in place of VL scalar loads; returns where it stopped. NOTE: the
     * other direction has no vector version: scatter instructions are slower than its element loop.
     */
    public static int gather(float[] x, int src, float[] planes, int shift, int[] entry, int count) {
        int q = 0;
        for (; q <= count - VL; q += VL) FloatVector.fromArray(SPECIES, planes, shift, entry, q).intoArray(x, src + q);
        return q;
    }

    /**
     * {@code to[toOff + e] = isZero[e] ? 0 : from[fromOff + index[e]]} for the whole vectors of e in
     * [0, count), one gather instruction and one blend each; returns where it stopped.
     */
    public static int gatherOrZero(float[] from, int fromOff, int[] index, boolean[] isZero, float[] to, int toOff, int count) {
        FloatVector zeros = FloatVector.zero(SPECIES);
        int e = 0;
        for (; e <= count - VL; e += VL) {
            FloatVector.fromArray(SPECIES, from, fromOff, index, e).blend(zeros, VectorMask.fromArray(SPECIES, isZero, e))
                    .intoArray(to, toOff + e);
        }
        return e;
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
