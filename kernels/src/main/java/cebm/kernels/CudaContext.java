package cebm.kernels;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The device's primary context (the one the CUDA runtime and other libraries share), one stream
 * that every kernel and copy of this backend is ordered on, and the loaded kernels.
 *
 * <p>A CUDA context is current per host thread, and the JVM calls the backend from several (the
 * caller, the common fork-join pool, the cleaner thread): {@link #makeCurrent()} is called at every
 * entry point, and costs one thread-local read once the thread has it.
 */
final class CudaContext {
    final CUdevice device;
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    final KernelModule kernels;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    CudaContext(CUdevice device) {
        this.device = device;
        CudaException.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamCreate(stream, jcuda.driver.CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate");
        kernels = new KernelModule(this);
    }

    void makeCurrent() {
        if (current.get()) return;
        CudaException.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        current.set(true);
    }

    /** Waits for everything queued on the stream; a kernel's failure surfaces here. */
    void synchronize() {
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamSynchronize(stream), "a kernel on the stream (cuStreamSynchronize)");
    }
}
