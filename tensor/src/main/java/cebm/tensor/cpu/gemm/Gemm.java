package cebm.tensor.cpu.gemm;

import cebm.tensor.cpu.parallel.VectorApi;

/**
 * Single-precision matrix multiply {@code C[M,N] (+)= A[M,K]·B[K,N]}, C dense row-major.
 * Without {@code accumulate} C is overwritten.
 *
 * <p>The operands are {@link GemmOperand}s; {@link #multiply(boolean, boolean, int, int, int,
 * float[], int, float[], int, float[], int, boolean)} takes dense row-major arrays instead: with
 * {@code transA} the array holds A as {@code [K,M]}, with {@code transB} B as {@code [N,K]}.
 *
 * <p>{@code multiply} runs the register-blocked {@link VectorGemm} when the
 * {@code jdk.incubator.vector} module is in the boot layer (the JVM was started with
 * {@code --add-modules jdk.incubator.vector}) and {@link #reference} otherwise.
 * {@link #reference} is also the readable definition the fast one is tested against.
 * The class is public for {@link #implementation} alone, so that benchmarks can report it.
 */
public final class Gemm {
    private Gemm() {}

    public static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        multiply(m, n, k, GemmOperand.columnsOf(a, aOff, m, k, transA), GemmOperand.rowsOf(b, bOff, k, n, transB),
                c, cOff, accumulate);
    }

    static void multiply(int m, int n, int k, GemmOperand a, GemmOperand b, float[] c, int cOff, boolean accumulate) {
        // NOTE: VectorGemm is only loaded when this branch runs, so a JVM without the incubator
        // module never touches the Vector API classes.
        if (VectorApi.AVAILABLE) {
            VectorGemm.multiply(m, n, k, a, b, c, cOff, accumulate);
        } else {
            reference(m, n, k, a, b, c, cOff, accumulate);
        }
    }

    /** A left operand A {@code [M,K]} made ready once for many products A·B. */
    public interface PreparedA {
        /** {@code C[M,N] (+)= A·B}. */
        void multiply(int n, GemmOperand b, float[] c, int cOff, boolean accumulate);
    }

    /**
     * Prepares A for many products: the fast GEMM packs it once instead of once per call,
     * which pays when a convolution multiplies its weights with one group of images after another.
     */
    public static PreparedA prepare(int m, int k, GemmOperand a) {
        if (VectorApi.AVAILABLE) return VectorGemm.prepare(m, k, a);
        return (n, b, c, cOff, accumulate) -> reference(m, n, k, a, b, c, cOff, accumulate);
    }

    /**
     * The width of the fast GEMM's micro-tiles: a product whose N is a multiple of it has no
     * ragged last tile. 1 for the reference, which has no tiles.
     */
    public static int tileColumns() {
        return VectorApi.AVAILABLE ? VectorGemm.NR : 1;
    }

    /** Which GEMM {@link #multiply} runs, for logs and benchmark reports. */
    public static String implementation() {
        return VectorApi.AVAILABLE ? VectorGemm.describe() : "reference (scalar loops)";
    }

    /**
     * The plain reference: C[i,:] += A[i,p]·B[p,:], a scaled row of B added to a row of C, with
     * the innermost loop along a row of C. Accumulation in float like every fast GEMM.
     */
    static void reference(int m, int n, int k, GemmOperand a, GemmOperand b, float[] c, int cOff, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * n;
            for (int p = 0; p < k; p++) {
                float aip = a.get(p, i);
                for (int j = 0; j < n; j++) c[cRow + j] += aip * b.get(p, j);
            }
        }
    }
}
