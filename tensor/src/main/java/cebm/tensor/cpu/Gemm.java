package cebm.tensor.cpu;

/**
 * Single-precision matrix multiply on dense row-major arrays:
 * {@code C[M,N] (+)= op(A)·op(B)}, where op(A) is {@code [M,K]} and op(B) is {@code [K,N]}.
 * With {@code transA} the array holds A as {@code [K,M]}; with {@code transB}, B as {@code [N,K]}.
 *
 * <p>This is the plain reference: loops ordered so that the innermost one walks contiguous
 * memory (which the JIT vectorises), accumulation in float like every fast GEMM.
 */
final class Gemm {
    private Gemm() {}

    static void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
        if (transB) {
            // C[i,j] += Σ_p A[i,p]·B[j,p]: a dot product of two contiguous rows when A is not transposed.
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    int bRow = bOff + j * k;
                    if (transA) {
                        for (int p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bRow + p];
                    } else {
                        int aRow = aOff + i * k;
                        for (int p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
                    }
                    c[cOff + i * n + j] += s;
                }
            }
            return;
        }
        // C[i,:] += A[i,p]·B[p,:]: a scaled row of B added to a row of C (axpy), contiguous in j.
        for (int i = 0; i < m; i++) {
            int cRow = cOff + i * n;
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (aip == 0f) continue;
                int bRow = bOff + p * n;
                for (int j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
            }
        }
    }
}
