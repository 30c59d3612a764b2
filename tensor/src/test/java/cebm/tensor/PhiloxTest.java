package cebm.tensor;

import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PhiloxTest {
    /** Known-answer vectors of Random123's kat_vectors for philox4x32-10: (counter, key) → output. */
    @Test
    void matchesTheReferenceKnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void sameSeedAndCounterGiveBitIdenticalTensors() {
        RandomStream a = new RandomStream(123), b = new RandomStream(123);
        assertArrayEquals(a.normal(CpuBackend.INSTANCE, 0f, 1f, 5, 7).toArray(), b.normal(CpuBackend.INSTANCE, 0f, 1f, 5, 7).toArray());
        assertArrayEquals(a.uniform(CpuBackend.INSTANCE, -1f, 1f, 9).toArray(), b.uniform(CpuBackend.INSTANCE, -1f, 1f, 9).toArray());
        assertFalse(java.util.Arrays.equals(a.uniform(CpuBackend.INSTANCE, 0f, 1f, 9).toArray(),
                new RandomStream(124).uniform(CpuBackend.INSTANCE, 0f, 1f, 9).toArray()));
    }

    @Test
    void elementIDependsOnlyOnItsIndex() {
        // The first 6 numbers of a draw of 10 equal a draw of 6: what lets a GPU thread compute its own element.
        float[] ten = CpuBackend.INSTANCE.normal(new int[] {10}, 0f, 1f, 9, 100).toArray();
        float[] six = CpuBackend.INSTANCE.normal(new int[] {6}, 0f, 1f, 9, 100).toArray();
        assertArrayEquals(six, java.util.Arrays.copyOf(ten, 6));
    }

    @Test
    void momentsAreRight() {
        // 200k samples: the standard error of the mean is 1/sqrt(n) ≈ 0.0022 (normal) and
        // 0.29/sqrt(n) ≈ 0.0007 (uniform); tolerances are about five standard errors.
        float[] normal = CpuBackend.INSTANCE.normal(new int[] {200_000}, 0f, 1f, 1, 0).toArray();
        float[] uniform = CpuBackend.INSTANCE.uniform(new int[] {200_000}, 0f, 1f, 1, 0).toArray();
        assertEquals(0.0, mean(normal), 0.011);
        assertEquals(1.0, variance(normal), 0.02);
        assertEquals(0.5, mean(uniform), 0.004);
        assertEquals(1.0 / 12, variance(uniform), 0.002);
    }

    private static double mean(float[] x) {
        double s = 0;
        for (float v : x) s += v;
        return s / x.length;
    }

    private static double variance(float[] x) {
        double m = mean(x), s = 0;
        for (float v : x) s += (v - m) * (v - m);
        return s / x.length;
    }
}
