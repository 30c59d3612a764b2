package cebm.kernels;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.lang.ref.Cleaner;

/**
 * A block of device memory holding {@code length} floats. Freed after the Java object becomes
 * unreachable: a {@link Cleaner} queues the {@code cuMemFree}, which the next allocation runs
 * ({@link CudaContext#releasePending}); it waits for the kernels still using the memory. Inside a {@link cebm.tensor.Workspace} scope the backend recycles buffers instead, so the
 * SGLD loop allocates its buffers once (and the same addresses recur, which a CUDA graph needs).
 *
 * <p>The garbage collector sees only the small Java object, not the device memory behind it, and
 * may not run for a long time while the device fills up with dead buffers. So after every
 * {@link #COLLECT_EVERY_BYTES} of new device memory {@link #allocate} asks for a collection, and
 * when an allocation fails for want of memory it runs one, lets the cleaner queue what died, frees
 * it, and tries once more.
 */
final class DeviceBuffer {
    private static final Cleaner CLEANER = Cleaner.create();
    /** A training step outside the SGLD loop allocates a few hundred MB; collect every few steps. */
    private static final long COLLECT_EVERY_BYTES = 4L << 30;
    private static final java.util.concurrent.atomic.AtomicLong allocatedSinceCollection = new java.util.concurrent.atomic.AtomicLong();

    final CUdeviceptr pointer;
    final int length;

    private DeviceBuffer(CUdeviceptr pointer, int length) {
        this.pointer = pointer;
        this.length = length;
    }

    // region allocate (quoted in docs/cuda-kernels.md)
    static DeviceBuffer allocate(CudaContext context, int length) {
        context.releasePending();
        CUdeviceptr pointer = new CUdeviceptr();
        long bytes = Math.max(1, length) * (long) Float.BYTES;
        if (allocatedSinceCollection.addAndGet(bytes) > COLLECT_EVERY_BYTES) {
            allocatedSinceCollection.set(0);
            System.gc();
        }
        int status = JCudaDriver.cuMemAlloc(pointer, bytes);
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            collectAndWait();
            context.releasePending();
            status = JCudaDriver.cuMemAlloc(pointer, bytes);
        }
        CudaException.check(status, "cuMemAlloc of " + bytes + " bytes");
        DeviceBuffer buffer = new DeviceBuffer(pointer, length);
        CLEANER.register(buffer, () -> context.releaseLater(
                () -> CudaException.check(JCudaDriver.cuMemFree(pointer), "cuMemFree")));
        return buffer;
    }
    // endregion

    private static void collectAndWait() {
        System.gc();
        try {
            // The cleaner thread queues the dead buffers after the collection has found them.
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The address of element {@code index}. */
    CUdeviceptr at(long index) {
        return pointer.withByteOffset(index * Float.BYTES);
    }
}
