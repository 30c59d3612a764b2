package cebm.tensor.cpu.gemm;

import cebm.tensor.cpu.TestArrays;
import cebm.tensor.cpu.parallel.VectorApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link VectorGemm} equals {@link Gemm#reference} on every transposition, with and without
 * accumulation, on sizes that leave ragged edges in every blocking (1, 3, 17, 63, 129 against
 * the 8×32 micro-tile) and on sizes that cross the cache blocks (K > KC, M > MC).
 *
 * <p>Tolerance 1e-5 relative (Frobenius norm): both sides sum in float32 but in different
 * orders (the fast one in KC-deep slices with FMA, the reference row by row), so they differ by
 * rounding, about √K·2⁻²⁴ ≈ 1e-6 relative for K in the hundreds.
 */
class VectorGemmTest {
    private static final double TOLERANCE = 1e-5;
    private static final int[] ODD = {1, 3, 17, 63, 129};

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        Random random = new Random(11);
        for (int transpose = 0; transpose < 4; transpose++) {
            for (int m : ODD) {
                for (int n : ODD) {
                    int k = ODD[random.nextInt(ODD.length)];
                    out.add(Arguments.of(m, n, k, transpose));
                }
            }
            // Beyond one cache block: K > KC = 256, M > MC = 512, and many B panels.
            out.add(Arguments.of(17, 40, 600, transpose));
            out.add(Arguments.of(600, 33, 20, transpose));
            out.add(Arguments.of(9, 1100, 70, transpose));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "M={0} N={1} K={2} transposes={3}")
    @MethodSource("shapes")
    void equalsReference(int m, int n, int k, int transposes) {
        assumeTrue(VectorApi.AVAILABLE, "needs --add-modules jdk.incubator.vector");
        boolean transA = (transposes & 1) != 0, transB = (transposes & 2) != 0;
        Random random = new Random(31L * m + 7L * n + k + transposes);
        // Offsets into larger arrays check that the fast path respects aOff, bOff and cOff.
        int aOff = 5, bOff = 3, cOff = 7;
        float[] a = TestArrays.uniform(random, aOff + m * k), b = TestArrays.uniform(random, bOff + k * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            float[] start = TestArrays.uniform(random, cOff + m * n + 4);
            float[] expected = start.clone(), actual = start.clone();
            GemmOperand opA = GemmOperand.columnsOf(a, aOff, m, k, transA), opB = GemmOperand.rowsOf(b, bOff, k, n, transB);
            Gemm.reference(m, n, k, opA, opB, expected, cOff, accumulate);
            VectorGemm.multiply(m, n, k, opA, opB, actual, cOff, accumulate);
            double error = TestArrays.relativeError(actual, cOff, expected, cOff, m * n);
            assertTrue(error <= TOLERANCE, "accumulate=" + accumulate + ": relative error " + error);
            // Nothing outside C[M,N] is written.
            for (int i = 0; i < cOff; i++) assertTrue(actual[i] == start[i], "wrote before C at " + i);
            for (int i = cOff + m * n; i < actual.length; i++) assertTrue(actual[i] == start[i], "wrote after C at " + i);
        }
    }

    /** The reference itself against the textbook triple loop, Σ_p A[i,p]·B[p,j] in double, on the dense layouts. */
    @ParameterizedTest(name = "M={0} N={1} K={2} transposes={3}")
    @MethodSource("shapes")
    void referenceIsTheDefinition(int m, int n, int k, int transposes) {
        boolean transA = (transposes & 1) != 0, transB = (transposes & 2) != 0;
        Random random = new Random(3L * m + n + 5L * k);
        float[] a = TestArrays.uniform(random, m * k), b = TestArrays.uniform(random, k * n), c = new float[m * n], expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                }
                expected[i * n + j] = (float) sum;
            }
        }
        Gemm.multiply(transA, transB, m, n, k, a, 0, b, 0, c, 0, false);
        TestArrays.assertClose("Gemm.multiply", c, expected, TOLERANCE);
        Gemm.reference(m, n, k, GemmOperand.columnsOf(a, 0, m, k, transA), GemmOperand.rowsOf(b, 0, k, n, transB),
                c, 0, false);
        TestArrays.assertClose("Gemm.reference", c, expected, TOLERANCE);
    }

    /** A packed once by {@link Gemm#prepare} gives the same products, call after call. */
    @Test
    void preparedOperandEqualsReference() {
        Random random = new Random(2);
        int m = 70, k = 300;
        float[] a = TestArrays.uniform(random, k * m);
        GemmOperand opA = GemmOperand.columnsOf(a, 0, m, k, true);
        Gemm.PreparedA prepared = Gemm.prepare(m, k, opA);
        for (int n : new int[] {1, 45, 200}) {
            float[] b = TestArrays.uniform(random, k * n), expected = new float[m * n], actual = new float[m * n];
            GemmOperand opB = GemmOperand.rowsOf(b, 0, k, n, false);
            Gemm.reference(m, n, k, opA, opB, expected, 0, false);
            prepared.multiply(n, opB, actual, 0, false);
            TestArrays.assertClose("N=" + n, actual, expected, TOLERANCE);
        }
    }

    @Test
    void emptyDepthClearsOrKeepsC() {
        assumeTrue(VectorApi.AVAILABLE, "needs --add-modules jdk.incubator.vector");
        float[] c = {1, 2, 3, 4};
        GemmOperand empty = GemmOperand.rowsOf(new float[0], 0, 0, 2, false);
        VectorGemm.multiply(2, 2, 0, empty, empty, c, 0, true);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        VectorGemm.multiply(2, 2, 0, empty, empty, c, 0, false);
        assertArrayEquals(new float[4], c);
    }

    @Test
    void dispatchesToTheVectorGemmWhenTheModuleIsPresent() {
        assumeTrue(VectorApi.AVAILABLE, "needs --add-modules jdk.incubator.vector");
        assertTrue(Gemm.implementation().startsWith("vector"), Gemm.implementation());
    }
}
