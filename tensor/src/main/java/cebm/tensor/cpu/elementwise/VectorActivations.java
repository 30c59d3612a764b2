package cebm.tensor.cpu.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Activations} on whole vectors (the exponential is {@link VectorExp}'s). */
public final class VectorActivations {
    private VectorActivations() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** Handles the whole vectors of [from, to); returns where it stopped (the rest is the caller's). */
    static int swishBackward(float[] g, float[] z, float[] out, int from, int to) {
        int i = from;
        for (; i <= to - VL; i += VL) swishBackwardStep(g, z, i, out, i);
        return i;
    }

    /**
     * {@code out[outOff + i] = g[from + i] · swish'(z[from + i])} for i < len, len at least a
     * vector: the last vector overlaps the one before it where len is not a whole number of
     * vectors, and stores the same values again.
     */
    public static void swishBackwardRow(float[] g, float[] z, int from, float[] out, int outOff, int len) {
        for (int i = 0; i < len; i += VL) {
            int start = Math.min(i, len - VL);
            swishBackwardStep(g, z, from + start, out, outOff + start);
        }
    }

    private static void swishBackwardStep(float[] g, float[] z, int at, float[] out, int outAt) {
        FloatVector.fromArray(SPECIES, g, at).mul(swishDerivative(FloatVector.fromArray(SPECIES, z, at))).intoArray(out, outAt);
    }

    /** {@code swish'(z) = σ(z)·(1 + z·(1 − σ(z)))}. */
    public static FloatVector swishDerivative(FloatVector z) {
        // σ(z) = 1 / (1 + e^−z); for very negative z, e^−z ≈ 2·10³⁸ and σ ≈ 0, the limit.
        FloatVector s = FloatVector.broadcast(SPECIES, 1f).div(VectorExp.exp(z.neg()).add(1f));
        return s.mul(z.mul(s.neg().add(1f)).add(1f));
    }
}
