package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

@GpuTest
class SgldKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final int[][] SHAPES = {{1}, {7}, {5, 3}, {128, 1, 28, 28}};
    /** The noise is the CPU's to one float ulp (RandomKernelsTest); the rest rounds as on the CPU. */
    private static final double NOISE_ULP = 1e-6;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(41);

    @Test
    void oneStepMatchesTheCpu() {
        for (int[] shape : SHAPES) {
            Tensor x = random.uniform(CPU, -1f, 1f, shape), grad = random.uniform(CPU, -1f, 1f, shape);
            Tensor onCpu = CPU.copy(x), onCuda = x.to(cuda);
            CPU.sgldUpdate(onCpu, grad, 0.5f, 0.01f, 7, 123);
            cuda.sgldUpdate(onCuda, grad.to(cuda), 0.5f, 0.01f, 7, 123);
            RandomKernelsTest.assertClose("sgld " + Arrays.toString(shape), onCpu.toArray(), onCuda.toArray(), NOISE_ULP);
        }
    }

    @Test
    void aGradientViewIsReadLikeTheCpu() {
        Tensor x = random.uniform(CPU, -1f, 1f, 9, 4), gradT = random.uniform(CPU, -1f, 1f, 4, 9);
        Tensor onCpu = CPU.copy(x), onCuda = x.to(cuda);
        CPU.sgldUpdate(onCpu, gradT.transpose(0, 1), 0.1f, 0.2f, 3, 0);
        cuda.sgldUpdate(onCuda, gradT.to(cuda).transpose(0, 1), 0.1f, 0.2f, 3, 0);
        RandomKernelsTest.assertClose("sgld with a transposed gradient", onCpu.toArray(), onCuda.toArray(), NOISE_ULP);
    }

    /** With x = 0, no gradient and unit noise, the update leaves exactly what normal() draws. */
    @Test
    void theNoiseIsExactlyTheNormalKernels() {
        for (int[] shape : SHAPES) {
            Tensor x = cuda.full(0f, shape);
            cuda.sgldUpdate(x, cuda.full(0f, shape), 0f, 1f, 99, 1L << 33);
            assertArrayEquals(cuda.normal(shape, 0f, 1f, 99, 1L << 33).toArray(), x.toArray(), Arrays.toString(shape));
        }
    }
}
