package cebm.kernels;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/**
 * One compiled kernel, launched on the context's stream. Arguments are passed in the order of
 * the kernel's C signature: {@code Integer} for {@code int}, {@code Long} for {@code long long},
 * {@code Float} for {@code float}, {@code Double} for {@code double}, {@code int[]} for a by-value
 * struct of ints (such as {@code Dims}), and a {@link DeviceBuffer} or a {@code CUdeviceptr} for a
 * pointer. Each launch checks its arguments against the kernel's C signature, which then passes
 * them ({@link KernelSignature}).
 */
final class Kernel {
    /** Threads per block for the one-dimensional launches of elementwise kernels. */
    static final int THREADS = 256;
    /**
     * The most blocks a one-dimensional launch uses; the kernels' grid-stride loops cover the rest.
     * 132 SMs of an H200 × 16 resident blocks of 256 threads.
     */
    private static final int MAX_BLOCKS = 132 * 16;

    private final String name;
    private final KernelSignature signature;
    private final CUfunction function;
    private final CudaContext context;

    Kernel(KernelSignature signature, CUfunction function, CudaContext context) {
        this.name = signature.kernel();
        this.signature = signature;
        this.function = function;
        this.context = context;
    }

    /** A launch of enough blocks of {@link #THREADS} threads to give each of n elements a thread (capped). */
    void launchLinear(long n, Object... args) {
        int blocks = (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
        launch(blocks, 1, 1, THREADS, 1, 1, 0, args);
    }

    void launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes, Object... args) {
        signature.check(args);
        // An empty output gives an empty grid, which the driver rejects: there is nothing to compute.
        if (gridX == 0 || gridY == 0 || gridZ == 0) return;
        context.makeCurrent();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) params[i] = signature.parameters().get(i).pass(args[i]);
        CudaException.check(JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                sharedBytes, context.stream, Pointer.to(params), null), "launching " + name);
    }
}
