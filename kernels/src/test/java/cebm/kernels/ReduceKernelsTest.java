package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.ReduceOp;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

@GpuTest
class ReduceKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    /** Both devices sum in double, in different orders: the float results are equal or one ulp apart. */
    private static final double SUM = 1e-6;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(31);

    @Test
    void everyDimensionOfSmallShapes() {
        for (int[] shape : new int[][] {{1}, {7}, {1, 1}, {3, 1, 4}, {2, 3, 4, 5}}) {
            for (int dim = 0; dim < shape.length; dim++) check(random.uniform(CPU, -1f, 1f, shape), dim);
        }
    }

    /** The model's reductions: over the batch, over pixels, over the latent; and long rows and columns. */
    @Test
    void theModelsShapesAndLongOnes() {
        int[][] shapeAndDim = {{128, 100, 0}, {16, 64, 1024, 2}, {128, 128, 1}, {300, 5, 1}, {4, 100_000, 1},
            {100_000, 0}, {100_000, 3, 0}, {128, 64, 8, 8, 0}, {2, 33, 1000, 1}};
        for (int[] s : shapeAndDim) {
            int[] shape = Arrays.copyOf(s, s.length - 1);
            check(random.uniform(CPU, -1f, 1f, shape), s[s.length - 1]);
        }
    }

    @Test
    void viewsAreReducedLikeTheCpu() {
        Tensor x = random.uniform(CPU, -1f, 1f, 4, 5, 6);
        Tensor permuted = x.permute(2, 0, 1);
        Tensor device = x.to(cuda).permute(2, 0, 1);
        for (int dim = 0; dim < 3; dim++) {
            Compare.close("sum of a permutation, dim " + dim, CPU.reduce(ReduceOp.SUM, permuted, dim),
                    cuda.reduce(ReduceOp.SUM, device, dim), SUM);
        }
    }

    private void check(Tensor x, int dim) {
        String what = Arrays.toString(x.shape()) + " along " + dim;
        Tensor device = x.to(cuda);
        Compare.close("sum " + what, CPU.reduce(ReduceOp.SUM, x, dim), cuda.reduce(ReduceOp.SUM, device, dim), SUM);
        Compare.close("max " + what, CPU.reduce(ReduceOp.MAX, x, dim), cuda.reduce(ReduceOp.MAX, device, dim), 0);
    }

    @Test
    void argmaxPicksTheFirstMaximumLikeTheCpu() {
        for (int[] shape : new int[][] {{1}, {10}, {128, 10}, {5, 7, 3}, {3, 2000}}) {
            // Few distinct values, so that most rows have ties.
            float[] values = random.uniform(CPU, 0f, 3f, shape).toArray();
            for (int i = 0; i < values.length; i++) values[i] = (float) Math.floor(values[i]);
            Tensor x = CPU.fromArray(values, shape);
            for (int dim = 0; dim < shape.length; dim++) {
                Compare.close("argmax " + Arrays.toString(shape) + " along " + dim, CPU.argmax(x, dim),
                        cuda.argmax(x.to(cuda), dim), 0);
            }
        }
    }
}
