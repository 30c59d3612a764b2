package cebm.tensor;

/**
 * Philox4x32-10, the counter-based random number generator of Salmon et al. (SC'11, "Parallel
 * random numbers: as easy as 1, 2, 3"). A block of four 32-bit words is a pure function of a
 * 128-bit counter and a 64-bit key, so any element of a random tensor can be computed on its own,
 * by any thread, on any device: the same (seed, counter) gives the same numbers on the CPU and on
 * the GPU, run after run.
 *
 * <p>Here the key is the seed and the counter is {@code (counter_lo, counter_hi, 0, 0)}.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    /** 2^-24: uniform floats take the top 24 bits, the float mantissa's full precision. */
    private static final float TWO_POW_MINUS_24 = 1f / (1 << 24);

    private Philox() {}

    /** The four words of block {@code (c0, c1, c2, c3)} under key {@code (k0, k1)}, written to {@code out}. */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32), lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32), lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** Block number {@code counter} under {@code seed}, the way the tensor backends use it. */
    public static void block(long seed, long counter, int[] out) {
        block((int) counter, (int) (counter >>> 32), 0, 0, (int) seed, (int) (seed >>> 32), out);
    }

    /** Uniform on [0, 1) from one 32-bit word (its top 24 bits). */
    public static float toUnit(int word) {
        return (word >>> 8) * TWO_POW_MINUS_24;
    }

    /** Uniform on (0, 1] from one word: safe under a logarithm. */
    public static float toUnitOpenAtZero(int word) {
        return ((word >>> 8) + 1) * TWO_POW_MINUS_24;
    }

    /**
     * Two standard normals from two words, by Box–Muller:
     * {@code r = sqrt(−2 ln u1)}, {@code (r cos 2πu2, r sin 2πu2)}; {@code which} picks 0 or 1.
     */
    public static float boxMuller(int word1, int word2, int which) {
        double r = Math.sqrt(-2.0 * Math.log(toUnitOpenAtZero(word1)));
        double theta = 2.0 * Math.PI * toUnit(word2);
        return (float) (which == 0 ? r * Math.cos(theta) : r * Math.sin(theta));
    }
}
