package cebm.tensor.cpu.gemm;

/**
 * One operand of a GEMM {@code C[M,N] = A[M,K]·B[K,N]}, seen as K strided vectors in one array:
 * vector {@code p} is column p of A (M long) or row p of B (N long), and its element {@code e}
 * is {@code data[start[p] + e·stride]}.
 *
 * <p>A dense row-major matrix, transposed or not, is the common case ({@link #columnsOf},
 * {@link #rowsOf}). Other layouts pass through without a copy: the convolution hands over the
 * rows of its patch matrix as runs of one buffer that overlap ({@link Im2col}).
 */
public record GemmOperand(float[] data, int[] start, int stride) {

    /**
     * The K columns of A {@code [M,K]}, stored row-major from {@code a[off]} as {@code [M,K]},
     * or as {@code [K,M]} when {@code transposed}.
     */
    public static GemmOperand columnsOf(float[] a, int off, int m, int k, boolean transposed) {
        int[] start = new int[k];
        for (int p = 0; p < k; p++) start[p] = transposed ? off + p * m : off + p;
        return new GemmOperand(a, start, transposed ? 1 : k);
    }

    /**
     * The K rows of B {@code [K,N]}, stored row-major from {@code b[off]} as {@code [K,N]},
     * or as {@code [N,K]} when {@code transposed}.
     */
    public static GemmOperand rowsOf(float[] b, int off, int k, int n, boolean transposed) {
        int[] start = new int[k];
        for (int p = 0; p < k; p++) start[p] = transposed ? off + p : off + p * n;
        return new GemmOperand(b, start, transposed ? k : 1);
    }

    /** Element e of vector p. */
    float get(int p, int e) {
        return data[start[p] + e * stride];
    }
}
