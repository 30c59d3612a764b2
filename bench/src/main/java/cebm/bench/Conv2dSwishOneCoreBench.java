package cebm.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * {@link Conv2dSwishBench} on one core: the fork's common fork-join pool has no worker threads
 * ({@code parallelism=0}), so the convolutions' parallel loops run on the benchmark thread alone.
 *
 * <p>Two uses. On a shared two-core machine one thread's times repeat closely where two
 * threads' vary with the other tenants' load, so small changes are measured here first. And beside
 * {@link FmaPeakBench#oneThread} and {@link MatmulBench} (the same GEMM shapes alone, also on one
 * thread) it shows where a convolution loses against its own GEMM: in the GEMM, in the work around
 * it (im2col planes, epilogue, scatter and fold), or in the split over two cores.
 */
@Fork(value = 1, jvmArgsAppend = {BenchmarkDefaults.VECTOR_MODULE, BenchmarkDefaults.CACHE_LINE_OBJECTS,
        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0"})
public class Conv2dSwishOneCoreBench extends Conv2dSwishBench {
}
