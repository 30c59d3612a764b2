package cebm.bench;

import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The matrix product alone, {@code [M,K]·[K,N]}, at the shapes of the GEMMs inside the paper
 * MNIST encoder's convolutions, so that the GEMM's efficiency can be told apart from what the
 * convolution does around it (im2col, epilogue, scatter, the split over two cores). On the CPU
 * one product runs on one thread: compare it with {@link FmaPeakBench#oneThread}.
 * <ul>
 *   <li>{@code 64x1024x256}: layer 1's forward pass for one group of images, W [F, C·KH·KW] times
 *       the patch matrix;</li>
 *   <li>{@code 1024x64x256}: layer 1's input gradient, Wᵀ times the output gradient (large M,
 *       short K);</li>
 *   <li>{@code 128x1568x128}: the fully connected layer, batch 128 by the flattened trunk;</li>
 *   <li>{@code 64x1024x210} and {@code 1024x64x210}: layer 1's products for one image of 14 output
 *       rows of 15 columns, the planes' narrowest width: 210 columns are six whole 32-wide
 *       micro-tiles and a ragged one of 18. Beside the 256-column shapes they show what a ragged
 *       tile costs, the reason the convolution widens its planes to 16 columns (224, seven whole
 *       tiles).</li>
 * </ul>
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class MatmulBench extends BenchmarkDefaults {
    @Param({"64x1024x256", "1024x64x256", "128x1568x128", "64x1024x210", "1024x64x210"})
    public String shape;

    private Tensor a, b;
    private long flops;

    @Setup
    public void setUp(BackendState on) {
        String[] mkn = shape.split("x");
        int m = Integer.parseInt(mkn[0]), k = Integer.parseInt(mkn[1]), n = Integer.parseInt(mkn[2]);
        RandomStream r = new RandomStream(5);
        a = r.uniform(CpuBackend.INSTANCE, -1f, 1f, m, k).to(on.device);
        b = r.uniform(CpuBackend.INSTANCE, -1f, 1f, k, n).to(on.device);
        flops = 2L * m * k * n;
    }

    @Benchmark
    public float matmul(BackendState on, GflopCounter counter) {
        counter.add(flops);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(on.device.matmul(a, b));
        }
    }
}
