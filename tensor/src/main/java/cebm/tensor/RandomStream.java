package cebm.tensor;

/**
 * A seeded source of random tensors: a seed plus a counter that advances by the number of
 * Philox blocks each draw consumes. Saving (seed, counter) saves the whole state, which is how
 * checkpoints resume a run exactly.
 */
public final class RandomStream {
    private final long seed;
    private long counter;

    public RandomStream(long seed) {
        this(seed, 0);
    }

    public RandomStream(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() {
        return seed;
    }

    public long counter() {
        return counter;
    }

    public Tensor uniform(Backend backend, float low, float high, int... shape) {
        Tensor t = backend.uniform(shape, low, high, seed, counter);
        counter += (Shape.numel(shape) + 3) / 4;
        return t;
    }

    public Tensor normal(Backend backend, float mean, float std, int... shape) {
        Tensor t = backend.normal(shape, mean, std, seed, counter);
        counter += normalBlocks(Shape.numel(shape));
        return t;
    }

    /**
     * Reserves the blocks that {@code n} normals use and returns the first counter, for ops that
     * draw their own noise (the SGLD update).
     */
    public long reserveNormals(int n) {
        return reserveNormals(n, 1);
    }

    /**
     * Reserves the blocks of {@code times} draws of {@code n} normals, one after the other, and
     * returns the first counter: draw s starts at {@code first + s·normalBlocks(n)} (the SGLD loop).
     */
    public long reserveNormals(int n, int times) {
        long start = counter;
        counter += times * normalBlocks(n);
        return start;
    }

    /** Uniform integer in [0, bound), from one block (host side: replay-buffer indices). */
    public int nextInt(int bound) {
        int[] words = new int[4];
        Philox.block(seed, counter++, words);
        return (int) (((words[0] & 0xFFFFFFFFL) * bound) >>> 32);
    }

    /** Uniform float in [0, 1), from one block (host side). */
    public float nextFloat() {
        int[] words = new int[4];
        Philox.block(seed, counter++, words);
        return Philox.toUnit(words[0]);
    }

    /** Philox blocks that n normals use: each block gives two (Box–Muller). */
    public static long normalBlocks(int n) {
        return (n + 1) / 2;
    }
}
