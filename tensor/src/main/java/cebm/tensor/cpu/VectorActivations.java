package cebm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Activations} on whole vectors (the exponential is {@link VectorExp}'s). */
final class VectorActivations {
    private VectorActivations() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Handles the whole vectors of [from, to); returns where it stopped (the rest is the caller's). */
    static int swishBackward(float[] g, float[] z, float[] out, int from, int to) {
        int vl = SPECIES.length();
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        int i = from;
        for (; i <= to - vl; i += vl) {
            FloatVector zv = FloatVector.fromArray(SPECIES, z, i);
            // σ(z) = 1 / (1 + e^−z); for very negative z, e^−z ≈ 2·10³⁸ and σ ≈ 0, the limit.
            FloatVector s = one.div(VectorExp.exp(zv.neg()).add(1f));
            FloatVector derivative = s.mul(zv.mul(s.neg().add(1f)).add(1f));
            FloatVector.fromArray(SPECIES, g, i).mul(derivative).intoArray(out, i);
        }
        return i;
    }
}
