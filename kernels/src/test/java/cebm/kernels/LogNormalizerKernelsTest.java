package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernels of log_normalizer.cu equal the CPU backend's log-normalizer and its gradient, at the
 * spec's sizes (B = K = 128, L = 1 for the Gaussian and 10 for the mixture) and odd ones.
 *
 * <p>Tolerance 1e-5 relative: the kernels mirror the CPU's precision (float sums a1, a2, double
 * terms and sums, the same rounding points), so the results differ only by the order of the
 * forward pass's double sum and by the device's double log, about 1e-16 before the final
 * rounding to float; the tolerance is the project's usual bound, far above that.
 */
@GpuTest
class LogNormalizerKernelsTest {
    private static final double TOLERANCE = 1e-5;
    private final Backend cuda = new CudaBackendProvider().backend();
    private final Backend cpu = CpuBackend.INSTANCE;

    // region equals-the-cpu
    @ParameterizedTest(name = "B {0}, K {1}, L {2}")
    @CsvSource({"128, 128, 1", "128, 128, 10", "1, 3, 7", "5, 33, 2", "1, 1, 1", "37, 200, 3"})
    void equalsTheCpu(int batch, int dims, int components) {
        RandomStream random = new RandomStream(batch * 100L + dims * 10L + components);
        // Shaped as the model makes them: t2 ≤ 0 and λ2 ≤ −½, so that a2 = λ2 + t2 < 0.
        Tensor t1 = random.uniform(cpu, -1f, 1f, batch, dims);
        Tensor t2 = Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, batch, dims)));
        Tensor lambda1 = random.uniform(cpu, -1f, 1f, components, dims);
        Tensor lambda2 = Ops.add(Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, components, dims))), -0.5f);
        Tensor g = random.uniform(cpu, -1f, 1f, batch, components);
        Tensor dt1 = t1.to(cuda), dt2 = t2.to(cuda), dl1 = lambda1.to(cuda), dl2 = lambda2.to(cuda);

        Compare.close("log-normalizer", cpu.logNormalizer(t1, t2, lambda1, lambda2),
                cuda.logNormalizer(dt1, dt2, dl1, dl2), TOLERANCE);
        Tensor[] expected = cpu.logNormalizerGrad(g, t1, t2, lambda1, lambda2);
        Tensor[] actual = cuda.logNormalizerGrad(g.to(cuda), dt1, dt2, dl1, dl2);
        String[] names = {"∂/∂t1", "∂/∂t2", "∂/∂λ1", "∂/∂λ2"};
        for (int i = 0; i < names.length; i++) Compare.close(names[i], expected[i], actual[i], TOLERANCE);
    }
    // endregion

    /** λ broadcast over the batch as the model passes it, and t a transposed view: read through the dense copies. */
    @Test
    void viewsGiveTheSameResults() {
        RandomStream random = new RandomStream(4);
        Tensor t1Data = random.uniform(cpu, -1f, 1f, 6, 9), lambda1Row = random.uniform(cpu, -1f, 1f, 1, 6);
        Tensor t1 = t1Data.transpose(0, 1), lambda1 = lambda1Row.expand(3, 6);
        Tensor t2 = Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, 9, 6)));
        Tensor lambda2 = Ops.add(Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, 3, 6))), -0.5f);
        Tensor g = random.uniform(cpu, -1f, 1f, 9, 3);
        Tensor dt1 = t1Data.to(cuda).transpose(0, 1), dl1 = lambda1Row.to(cuda).expand(3, 6);
        Compare.close("log-normalizer of views", cpu.logNormalizer(t1, t2, lambda1, lambda2),
                cuda.logNormalizer(dt1, t2.to(cuda), dl1, lambda2.to(cuda)), TOLERANCE);
        Compare.close("∂/∂λ1 of views", cpu.logNormalizerGrad(g, t1, t2, lambda1, lambda2)[2],
                cuda.logNormalizerGrad(g.to(cuda), dt1, t2.to(cuda), dl1, lambda2.to(cuda))[2], TOLERANCE);
    }
}
