package cebm.tensor.cpu;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Float arrays for the tests: random ones, and their relative error ‖actual − expected‖ / ‖expected‖. */
public final class TestArrays {
    private TestArrays() {}

    /** n numbers uniform in [−1, 1). */
    public static float[] uniform(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = 2 * random.nextFloat() - 1;
        return out;
    }

    public static double relativeError(float[] actual, int actualOff, float[] expected, int expectedOff, int n) {
        double diff = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            double e = expected[expectedOff + i], d = actual[actualOff + i] - e;
            diff += d * d;
            norm += e * e;
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
    }

    public static void assertClose(String what, float[] actual, float[] expected, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": length");
        double error = relativeError(actual, 0, expected, 0, expected.length);
        // NOTE: written so that a NaN error fails: every comparison with NaN is false.
        if (!(error <= tolerance)) fail(what + ": relative error " + error + " > " + tolerance);
    }
}
