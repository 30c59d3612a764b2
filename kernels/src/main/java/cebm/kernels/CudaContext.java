package cebm.kernels;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The device's primary context (the one the CUDA runtime and other libraries share), one stream
 * that every kernel and copy of this backend is ordered on, and the loaded kernels.
 *
 * <p>A CUDA context is current per host thread, and the JVM calls the backend from several (the
 * caller, the common fork-join pool): {@link #makeCurrent()} is called at every entry point, and
 * costs one thread-local read once the thread has it.
 *
 * <p>What the garbage collector finds dead (device buffers, recorded graphs) is not freed by the
 * cleaner thread: a free waits for the device, and one that lands while the stream is being
 * recorded breaks the recording. The cleaner queues the free ({@link #releaseLater}); the backend
 * runs the queue on its own threads, outside recordings ({@link #releasePending}).
 */
final class CudaContext {
    final CUdevice device;
    final CUcontext context = new CUcontext();
    final CUstream stream = new CUstream();
    final KernelModule kernels;
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final Queue<Runnable> pendingReleases = new ConcurrentLinkedQueue<>();
    /** Set while SgldGraph records the stream: nothing may wait for the device then. */
    private volatile boolean recording;

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

    /** Queues a free for {@link #releasePending}; called by cleaners, on their own thread. */
    void releaseLater(Runnable free) {
        pendingReleases.add(free);
    }

    /** Runs the queued frees on this thread, unless the stream is being recorded. */
    void releasePending() {
        if (recording) return;
        makeCurrent();
        for (Runnable free; (free = pendingReleases.poll()) != null; ) free.run();
    }

    /** Marks the stream as being recorded, or no longer: frees wait meanwhile. */
    void recording(boolean recording) {
        this.recording = recording;
    }

    /** Waits for everything queued on the stream; a kernel's failure surfaces here. */
    void synchronize() {
        makeCurrent();
        CudaException.check(JCudaDriver.cuStreamSynchronize(stream), "a kernel on the stream (cuStreamSynchronize)");
    }
}
