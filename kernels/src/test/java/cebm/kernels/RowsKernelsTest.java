package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** The replay buffer's gather and scatter; copies, so the results are exact. */
@GpuTest
class RowsKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(61);

    @Test
    void gatherWithRepeatsAndMoreRowsThanOneLaunchTakes() {
        Tensor a = random.uniform(CPU, -1f, 1f, 50, 3, 4);
        for (int[] rows : new int[][] {{3}, {3, 3, 0, 49, 7}, randomRows(600, 50)}) {
            Compare.close("gather of " + rows.length + " rows", CPU.gatherRows(a, rows), cuda.gatherRows(a.to(cuda), rows), 0);
        }
        Tensor vector = random.uniform(CPU, -1f, 1f, 10);
        Compare.close("gather from a vector", CPU.gatherRows(vector, new int[] {9, 0, 4}),
                cuda.gatherRows(vector.to(cuda), new int[] {9, 0, 4}), 0);
        Tensor transposed = random.uniform(CPU, -1f, 1f, 4, 50);
        Compare.close("gather from a view", CPU.gatherRows(transposed.transpose(0, 1), new int[] {1, 40, 2}),
                cuda.gatherRows(transposed.to(cuda).transpose(0, 1), new int[] {1, 40, 2}), 0);
    }

    @Test
    void scatterLeavesTheLastCopyOfARepeatedRow() {
        for (int[] rows : new int[][] {{3}, {3, 3, 0, 49, 3}, randomRows(600, 50)}) {
            Tensor dst = random.uniform(CPU, -1f, 1f, 50, 3, 4), src = random.uniform(CPU, -1f, 1f, rows.length, 3, 4);
            Tensor onCuda = dst.to(cuda);
            CPU.scatterRows(dst, rows, src);
            cuda.scatterRows(onCuda, rows, src.to(cuda));
            Compare.close("scatter of " + rows.length + " rows", dst, onCuda, 0);
        }
    }

    @Test
    void scatterIntoASliceAndFromAView() {
        Tensor dst = random.uniform(CPU, -1f, 1f, 20, 6), srcT = random.uniform(CPU, -1f, 1f, 6, 3);
        Tensor onCuda = dst.to(cuda);
        int[] rows = {4, 0, 9};
        CPU.scatterRows(dst.slice(5, 15), rows, srcT.transpose(0, 1));
        cuda.scatterRows(onCuda.slice(5, 15), rows, srcT.to(cuda).transpose(0, 1));
        Compare.close("scatter into rows 5..15", dst, onCuda, 0);
    }

    @Test
    void rowsOutsideTheTensorAreRefused() {
        Tensor a = cuda.full(1f, 5, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> cuda.gatherRows(a, new int[] {0, 5}));
        assertThrows(IndexOutOfBoundsException.class, () -> cuda.scatterRows(a, new int[] {-1}, cuda.full(0f, 1, 2)));
    }

    private int[] randomRows(int count, int bound) {
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) rows[i] = random.nextInt(bound);
        return rows;
    }
}
