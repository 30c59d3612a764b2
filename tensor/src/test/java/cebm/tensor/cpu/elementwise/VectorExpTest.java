package cebm.tensor.cpu.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorExpTest {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static float[] exp(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += SPECIES.length()) {
            VectorExp.exp(FloatVector.fromArray(SPECIES, x, i)).intoArray(out, i);
        }
        return out;
    }

    private static float[] grid(float from, float to, int n) {
        int padded = (n + SPECIES.length() - 1) / SPECIES.length() * SPECIES.length();
        float[] x = new float[padded];
        for (int i = 0; i < padded; i++) x[i] = from + (to - from) * i / (padded - 1);
        return x;
    }

    /** Within 2 ulp of Math.exp (rounded to float) over the whole clamped range. */
    @Test
    void closeToMathExp() {
        float[] x = grid(-87f, 88f, 200_000);
        float[] e = exp(x);
        float worst = 0;
        for (int i = 0; i < x.length; i++) {
            float expected = (float) Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(e[i] - expected) / Math.ulp(expected));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void exactWhereItMustBe() {
        float[] x = new float[SPECIES.length()];
        assertEquals(1f, exp(x)[0]);
    }

    /** Beyond the clamp the sigmoid still comes out as 0 or 1, as it does with the true e^x. */
    @Test
    void extremeArgumentsStayFinite() {
        float[] x = new float[SPECIES.length()];
        x[0] = 1000f;
        x[1] = -1000f;
        float[] e = exp(x);
        assertEquals(0f, 1f / (1f + e[0]), 1e-37f);
        assertEquals(1f, 1f / (1f + e[1]));
    }

    /** The clamp keeps infinities finite but lets a NaN through, so that a diverging run shows it. */
    @Test
    void infinitiesAreClampedAndNaNPassesThrough() {
        float[] x = new float[SPECIES.length()];
        x[0] = Float.POSITIVE_INFINITY;
        x[1] = Float.NEGATIVE_INFINITY;
        x[2] = Float.NaN;
        x[3] = 88.3f;
        x[4] = -87.3f;
        float[] e = exp(x);
        assertEquals(e[3], e[0]);
        assertEquals(e[4], e[1]);
        assertTrue(Float.isNaN(e[2]), "exp(NaN) = " + e[2]);
    }

    /**
     * The reason it exists: the same bits before and after the JIT compiles it. The first call runs
     * interpreted; thousands of calls later it is compiled.
     */
    @Test
    void sameBitsColdAndCompiled() {
        float[] x = grid(-20f, 20f, 4096);
        float[] cold = exp(x);
        for (int i = 0; i < 20_000; i++) exp(x);
        assertArrayEquals(cold, exp(x));
    }
}
