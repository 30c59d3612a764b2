package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

@GpuTest
class AdamKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    /**
     * The kernel does the CPU's operations in the CPU's precisions and order, all correctly rounded,
     * so equality is expected; the tolerance only keeps a failure readable.
     */
    private static final double SAME_ARITHMETIC = 1e-6;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(51);

    @Test
    void severalStepsMatchTheCpu() {
        for (int[] shape : new int[][] {{1}, {7}, {64, 3, 3, 3}, {1000, 130}}) {
            Tensor param = random.uniform(CPU, -1f, 1f, shape);
            Tensor m = CPU.full(0f, shape), v = CPU.full(0f, shape);
            Tensor dParam = param.to(cuda), dm = m.to(cuda), dv = v.to(cuda);
            for (int step = 1; step <= 10; step++) {
                Tensor grad = random.uniform(CPU, -1f, 1f, shape);
                CPU.adamUpdate(param, grad, m, v, 1e-3f, 0.9f, 0.999f, 1e-8f, step);
                cuda.adamUpdate(dParam, grad.to(cuda), dm, dv, 1e-3f, 0.9f, 0.999f, 1e-8f, step);
            }
            String what = Arrays.toString(shape) + " after 10 steps";
            Compare.close("param " + what, param, dParam, SAME_ARITHMETIC);
            Compare.close("m " + what, m, dm, SAME_ARITHMETIC);
            Compare.close("v " + what, v, dv, SAME_ARITHMETIC);
        }
    }
}
