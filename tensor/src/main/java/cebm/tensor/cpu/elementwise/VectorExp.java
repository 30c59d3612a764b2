package cebm.tensor.cpu.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x on a whole vector, from adds, multiplies and fused multiply-adds only, so that it gives the
 * same bits wherever it runs. The Vector API's own {@code lanewise(EXP)} does not: compiled, it
 * calls a vector math library; interpreted (before the JIT compiles the caller), it calls
 * {@code Math.exp} lane by lane. The two differ in the last bit, so a convolution's Swish would
 * give different results early and late in a run, and the CPU backend would not be deterministic.
 *
 * <p>The method is Cephes' {@code expf}: with {@code k = round(x·log₂e)} and
 * {@code r = x − k·ln 2} (ln 2 in two parts, so r is nearly exact), {@code e^x = 2^k · e^r}, and
 * e^r on |r| ≤ ½ ln 2 is a degree-6 polynomial (error about 1 ulp, checked against
 * {@code Math.exp} in VectorExpTest). 2^k is built in the exponent bits. x is clamped to
 * [−87.3, 88.3], where 2^k stays a normal float: beyond, e^x is returned as e^88.3 ≈ 2·10³⁸ or
 * e^−87.3 ≈ 1.2·10⁻³⁸, which the sigmoid 1/(1 + e^−z) turns into 0 or 1 as the true value would.
 */
final class VectorExp {
    private VectorExp() {}

    private static final float MAX_X = 88.3f, MIN_X = -87.3f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO, LN2_HI with few mantissa bits so that k·LN2_HI is exact. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer, in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B400000;
    /**
     * Cephes' coefficients of (e^r − 1 − r)/r² on |r| ≤ ½ ln 2, highest degree first. NOTE:
     * constants rather than an array, whose elements the JIT loads again for every vector.
     */
    private static final float P5 = 1.9875691500e-4f, P4 = 1.3981999507e-3f, P3 = 8.3334519073e-3f,
            P2 = 4.1665795894e-2f, P1 = 1.6666665459e-1f, P0 = 5.0000001201e-1f;

    static FloatVector exp(FloatVector x) {
        // NOTE: clamped by compare and blend. max and min give the same values but follow
        // Math.max's rules for NaN and −0, which take several instructions each where a compare
        // and a blend take two. A NaN stays NaN either way.
        x = x.blend(MIN_X, x.compare(VectorOperators.LT, MIN_X)).blend(MAX_X, x.compare(VectorOperators.GT, MAX_X));
        // Fused multiply-adds wherever a product is added: one operation instead of a multiply
        // and an add, and one rounding instead of two.
        FloatVector rounded = x.fma(constant(x, LOG2E), constant(x, ROUNDER));
        FloatVector k = rounded.sub(ROUNDER);
        FloatVector r = k.fma(constant(x, -LN2_LO), k.fma(constant(x, -LN2_HI), x));
        FloatVector p = constant(r, P5).fma(r, constant(r, P4)).fma(r, constant(r, P3)).fma(r, constant(r, P2))
                .fma(r, constant(r, P1)).fma(r, constant(r, P0));
        FloatVector expR = p.fma(r.mul(r), r).add(1f);
        // 2^k: k sits in the low bits of `rounded`; k + 127 shifted into the exponent field.
        IntVector twoToK = ((IntVector) rounded.reinterpretAsInts())
                .sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return expR.mul((FloatVector) twoToK.reinterpretAsFloats());
    }

    private static FloatVector constant(FloatVector like, float value) {
        return FloatVector.broadcast(like.species(), value);
    }
}
