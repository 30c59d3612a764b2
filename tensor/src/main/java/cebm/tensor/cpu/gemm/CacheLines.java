package cebm.tensor.cpu.gemm;

/**
 * Where the data of a float array can start on a 64-byte cache line.
 *
 * <p>A vector of 16 floats that straddles two cache lines costs two accesses to load or store.
 * The micro-kernel of {@link VectorGemm} loads two vectors of B per step and stores the tiles of
 * C, so where B's rows start off a cache line every one of those loads is split in two. Java
 * gives no say over where an array lies, except through the JVM option
 * {@code -XX:ObjectAlignmentInBytes=64}, which puts every object on a 64-byte boundary; the
 * launcher and the benchmarks set it. An array's data then starts {@link #HEADER_BYTES} after
 * such a boundary, so the convolution's work arrays place their GEMM operands from index
 * {@link #FIRST} on. Without the option this changes nothing but the index.
 */
public final class CacheLines {
    private CacheLines() {}

    /** Floats in a cache line. */
    public static final int FLOATS = 16;

    /** The bytes of an array's header, before its first element. */
    @SuppressWarnings("removal")
    public static final int HEADER_BYTES = sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET;

    /** The first index of a float array on a cache line, when objects are 64-byte aligned. */
    public static final int FIRST = (4 * FLOATS - HEADER_BYTES % (4 * FLOATS)) % (4 * FLOATS) / 4;

    /** {@code floats} rounded up to whole cache lines. */
    public static int roundUp(int floats) {
        return (floats + FLOATS - 1) / FLOATS * FLOATS;
    }
}
