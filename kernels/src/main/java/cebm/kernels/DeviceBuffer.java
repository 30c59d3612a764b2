package cebm.kernels;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

import java.lang.ref.Cleaner;

/**
 * A block of device memory holding {@code length} floats. Freed when the Java object becomes
 * unreachable: a {@link Cleaner} calls {@code cuMemFree}, which waits for the kernels still using
 * it. Inside a {@link cebm.tensor.Workspace} scope the backend recycles buffers instead, so the
 * SGLD loop allocates its buffers once (and the same addresses recur, which a CUDA graph needs).
 *
 * <p>The garbage collector sees only the small Java object, not the device memory behind it, so
 * when an allocation fails for want of memory, {@link #allocate} runs a collection, lets the
 * cleaner free what died, and tries once more.
 */
final class DeviceBuffer {
    private static final Cleaner CLEANER = Cleaner.create();

    final CUdeviceptr pointer;
    final int length;

    private DeviceBuffer(CUdeviceptr pointer, int length) {
        this.pointer = pointer;
        this.length = length;
    }

    static DeviceBuffer allocate(CudaContext context, int length) {
        context.makeCurrent();
        CUdeviceptr pointer = new CUdeviceptr();
        long bytes = Math.max(1, length) * (long) Float.BYTES;
        int status = JCudaDriver.cuMemAlloc(pointer, bytes);
        if (status == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            status = JCudaDriver.cuMemAlloc(pointer, bytes);
        }
        CudaException.check(status, "cuMemAlloc of " + bytes + " bytes");
        DeviceBuffer buffer = new DeviceBuffer(pointer, length);
        CLEANER.register(buffer, () -> {
            context.makeCurrent();
            JCudaDriver.cuMemFree(pointer);
        });
        return buffer;
    }

    /** The address of element {@code index}. */
    CUdeviceptr at(long index) {
        return pointer.withByteOffset(index * Float.BYTES);
    }
}
