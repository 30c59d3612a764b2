package cebm.kernels;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUresult;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The driver's answers to misuse, the context on a new thread, frees kept out of recordings, and
 * (on the emulated device only) its memory checking: what the kernel tests rely on to fail loudly.
 */
@GpuTest
class EmulatedDeviceTest {
    private final CudaBackend cuda = (CudaBackend) new CudaBackendProvider().backend();
    private final CudaContext context = cuda.context;

    @BeforeEach
    void current() {
        context.makeCurrent();
    }

    private static void assumeEmulated() {
        assumeTrue(CudaProbe.result().availability().summary().contains("emulated device"), "checks of the emulated device");
    }

    @Test
    void anAccessPastAnAllocationNamesTheKernelBlockThreadAndAddress() {
        assumeEmulated();
        DeviceBuffer ten = DeviceBuffer.allocate(context, 10);
        cuda.kernel("memory", "fill").launchLinear(11, 11L, 1f, ten);
        CudaException e = assertThrows(CudaException.class, context::synchronize);
        String m = e.getMessage();
        assertTrue(m.contains("CUDA_ERROR_ILLEGAL_ADDRESS"), m);
        assertTrue(m.contains("kernel fill, block (0, 0, 0), thread (10, 0, 0)"), m);
        assertTrue(m.contains("0 bytes past the end of the 40-byte allocation at 0x"), m);
        // The emulator goes on after reporting (the real driver's context would be lost).
        cuda.kernel("memory", "fill").launchLinear(10, 10L, 1f, ten);
        context.synchronize();
    }

    @Test
    void freshMemoryHoldsNaN() {
        assumeEmulated();
        DeviceBuffer buffer = DeviceBuffer.allocate(context, 5);
        float[] out = new float[5];
        CudaException.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), buffer.pointer, 20), "cuMemcpyDtoH");
        for (float v : out) assertTrue(Float.isNaN(v), "a fresh element is " + v);
    }

    @Test
    void misuseGetsTheDriversErrorCodes() {
        DeviceBuffer ten = DeviceBuffer.allocate(context, 10);
        float[] eleven = new float[11];
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, JCudaDriver.cuMemcpyDtoH(Pointer.to(eleven), ten.pointer, 44),
                "a copy past the end of an allocation");
        assertEquals(CUresult.CUDA_ERROR_INVALID_VALUE, JCudaDriver.cuMemFree(ten.at(1)), "a free of no allocation's start");

        CUgraph graph = new CUgraph();
        // Its own allocation, not a DeviceBuffer's, whose cleaner would free it a second time.
        CUdeviceptr doomed = new CUdeviceptr();
        CudaException.check(JCudaDriver.cuMemAlloc(doomed, 16), "cuMemAlloc");
        CudaException.check(JCudaDriver.cuStreamBeginCapture(context.stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED),
                "cuStreamBeginCapture");
        assertEquals(CUresult.CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED, JCudaDriver.cuMemFree(doomed), "a free during a capture");
        assertEquals(CUresult.CUDA_ERROR_STREAM_CAPTURE_INVALIDATED, JCudaDriver.cuStreamEndCapture(context.stream, graph),
                "the capture that a free broke");
        CudaException.check(JCudaDriver.cuMemFree(doomed), "cuMemFree after the capture");

        CudaException.check(JCudaDriver.cuStreamBeginCapture(context.stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED),
                "cuStreamBeginCapture");
        cuda.kernel("memory", "fill").launchLinear(10, 10L, 1f, ten);
        CudaException.check(JCudaDriver.cuStreamEndCapture(context.stream, graph), "cuStreamEndCapture");
        CUgraphExec exec = new CUgraphExec();
        CudaException.check(JCudaDriver.cuGraphInstantiate(exec, graph, 0), "cuGraphInstantiate");
        CudaException.check(JCudaDriver.cuGraphDestroy(graph), "cuGraphDestroy");
        CudaException.check(JCudaDriver.cuGraphExecDestroy(exec), "cuGraphExecDestroy");
        assertEquals(CUresult.CUDA_ERROR_INVALID_HANDLE, JCudaDriver.cuGraphLaunch(exec, context.stream), "a destroyed graph");
    }

    /** A thread's first call may be a kernel lookup: it must make the context current itself. */
    @Test
    void kernelsAreFoundFromAThreadWithoutTheContext() throws InterruptedException, ExecutionException {
        KernelModule fresh = new KernelModule(context);
        Thread thread = new Thread(() -> fresh.get("memory", "fill"));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        thread.setUncaughtExceptionHandler((t, e) -> failure.complete(e));
        thread.start();
        thread.join();
        failure.complete(null);
        assertEquals(null, failure.get(), "looking a kernel up on a new thread");
    }

    @Test
    void freesWaitUntilARecordingEnds() {
        boolean[] freed = {false};
        context.recording(true);
        context.releaseLater(() -> freed[0] = true);
        context.releasePending();
        assertEquals(false, freed[0], "freed during a recording");
        context.recording(false);
        context.releasePending();
        assertTrue(freed[0], "freed after the recording");
    }
}
