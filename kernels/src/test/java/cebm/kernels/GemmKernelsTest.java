package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Our SGEMM against the CPU's, on sizes that are and are not multiples of the 64 × 64 × 16 tiles. */
@GpuTest
class GemmKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    /**
     * float32 sums over K in different orders (FMAs along k here, blocked on the CPU): the relative
     * error grows like √K·2^-24, about 2e-6 at K = 1024.
     */
    private static final double SUMMATION_ORDER = 1e-5;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(71);

    @Test
    void plainProducts() {
        int[][] mkn = {{1, 1, 1}, {3, 5, 7}, {65, 129, 33}, {64, 64, 64}, {128, 1024, 128}, {1, 300, 1}, {200, 3, 70}};
        for (int[] s : mkn) {
            Tensor a = random.uniform(CPU, -1f, 1f, s[0], s[1]), b = random.uniform(CPU, -1f, 1f, s[1], s[2]);
            check(s[0] + "×" + s[1] + "·" + s[1] + "×" + s[2], a, b, a.to(cuda), b.to(cuda));
        }
    }

    @Test
    void batchedProducts() {
        int[][] bmkn = {{1, 65, 65, 65}, {3, 17, 33, 9}, {2, 1, 1, 1}, {70_000, 2, 3, 2}};  // the last: more batches than grid z
        for (int[] s : bmkn) {
            Tensor a = random.uniform(CPU, -1f, 1f, s[0], s[1], s[2]), b = random.uniform(CPU, -1f, 1f, s[0], s[2], s[3]);
            check("batch " + s[0] + " of " + s[1] + "×" + s[2] + "·" + s[2] + "×" + s[3], a, b, a.to(cuda), b.to(cuda));
        }
    }

    /** Transposed operands, as a linear layer's forward (x·Wᵀ) and backward (gᵀ·x) pass them. */
    @Test
    void transposedViewsAreReadInPlace() {
        Tensor x = random.uniform(CPU, -1f, 1f, 70, 33), w = random.uniform(CPU, -1f, 1f, 45, 33);
        check("x·Wᵀ", x, w.transpose(0, 1), x.to(cuda), w.to(cuda).transpose(0, 1));
        Tensor g = random.uniform(CPU, -1f, 1f, 70, 45);
        check("gᵀ·x", g.transpose(0, 1), x, g.to(cuda).transpose(0, 1), x.to(cuda));
        check("gᵀ·g, two views of one tensor", g.transpose(0, 1), g, g.to(cuda).transpose(0, 1), g.to(cuda));
        Tensor a = random.uniform(CPU, -1f, 1f, 3, 20, 30), b = random.uniform(CPU, -1f, 1f, 3, 40, 30);
        check("batched a·bᵀ", a, b.transpose(1, 2), a.to(cuda), b.to(cuda).transpose(1, 2));
    }

    private void check(String what, Tensor a, Tensor b, Tensor da, Tensor db) {
        Compare.close(what, CPU.matmul(a, b), cuda.matmul(da, db), SUMMATION_ORDER);
    }
}
