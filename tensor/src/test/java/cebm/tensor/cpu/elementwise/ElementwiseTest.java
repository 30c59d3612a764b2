package cebm.tensor.cpu.elementwise;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ElementwiseTest {
    /** Longer than any vector, and a whole number of vectors of every width. */
    private static final int WHOLE = 64;

    /**
     * {@link Elementwise#biasSwish} on rows of every kind of length (shorter than a vector, whole
     * vectors, a ragged end): z gains its bias exactly, and each y has the same bits as the same z
     * gives inside a row of whole vectors, wherever in the row it sits. Also without y.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 5, 15, 16, 17, 31, 33, 120})
    void biasSwishGivesEveryElementTheSameArithmetic(int len) {
        Random random = new Random(len);
        float bias = 0.25f;
        float[] z0 = new float[len];
        for (int i = 0; i < len; i++) z0[i] = 12 * random.nextFloat() - 6;
        // Off the start of the arrays, and a neighbour after the row that must stay untouched.
        int off = 3;
        float[] z = new float[off + len + 1], y = new float[off + len + 1], zOnly = new float[off + len + 1];
        System.arraycopy(z0, 0, z, off, len);
        System.arraycopy(z0, 0, zOnly, off, len);
        z[off + len] = y[off + len] = zOnly[off + len] = 7f;
        Elementwise.biasSwish(z, off, y, off, len, bias);
        Elementwise.biasSwish(zOnly, off, null, 0, len, bias);

        float[] wholeZ = new float[WHOLE * ((len + WHOLE - 1) / WHOLE)], wholeY = new float[wholeZ.length];
        System.arraycopy(z0, 0, wholeZ, 0, len);
        Elementwise.biasSwish(wholeZ, 0, wholeY, 0, wholeZ.length, bias);
        for (int i = 0; i < len; i++) {
            assertEquals(z0[i] + bias, z[off + i], "z at " + i);
            assertEquals(z0[i] + bias, zOnly[off + i], "z at " + i + " without y");
            assertEquals(wholeY[i], y[off + i], "y at " + i);
            double v = z0[i] + bias;
            assertEquals(v / (1 + Math.exp(-v)), y[off + i], 1e-6 * Math.max(1, Math.abs(v)), "y at " + i);
        }
        assertEquals(Arrays.asList(7f, 7f, 7f), Arrays.asList(z[off + len], y[off + len], zOnly[off + len]), "past the row");
    }
}
