package cebm.kernels;

import cebm.tensor.RandomStream;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * One SGLD step recorded as a CUDA graph and replayed once per step (spec §2, step 3). A step is
 * some forty kernels (the encoder forward, its input gradient, the update); launched one by one
 * from Java each costs the host a few microseconds, about as long as the GPU takes to run it at
 * batch 128. Replayed, the whole step is one launch.
 *
 * <p>Recording is CUDA stream capture: the backend's ops queue their kernels as usual, and the
 * stream records them instead of running them. A recording replays its kernels with the
 * arguments they were recorded with, so:
 * <ul>
 *   <li>the chains are the recording's own buffer: {@link #run} copies the caller's chains in and
 *       back out;</li>
 *   <li>the step's other tensors come from a workspace whose buffers the recording keeps;</li>
 *   <li>the noise counter lives on the device ({@code sgld_update_at} reads it,
 *       {@code advance_counter} moves it on by one step's blocks), and is set before the replays;</li>
 *   <li>what the gradient reads besides the chains (the parameters) must keep its buffers: the
 *       optimizer updates them in place.</li>
 * </ul>
 * The replays run exactly the kernels of the step-by-step loop on the same inputs, so they give
 * the same numbers (SgldGraphTest).
 */
final class SgldGraph {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final Tensor chains;
    private final DeviceBuffer counter;
    /** Holds the buffers of the recorded step's tensors: the graph's kernels point into them. */
    private final Workspace workspace;
    private final CUgraphExec exec;
    private final float step, noiseStd;
    private final long seed;
    /** Steps replayed so far: a test's proof that the recording ran. */
    private long replays;

    private SgldGraph(CudaBackend backend, Tensor chains, DeviceBuffer counter, Workspace workspace, CUgraphExec exec,
                      float step, float noiseStd, long seed) {
        this.backend = backend;
        this.chains = chains;
        this.counter = counter;
        this.workspace = workspace;
        this.exec = exec;
        this.step = step;
        this.noiseStd = noiseStd;
        this.seed = seed;
    }

    /** Whether this recording serves a loop with these settings. */
    boolean fits(int[] shape, float step, float noiseStd, long seed) {
        return Arrays.equals(chains.shape(), shape) && this.step == step && this.noiseStd == noiseStd && this.seed == seed;
    }

    /**
     * Takes one step of {@code gradient} and the update on {@code chains} (the first step of the
     * loop, with the noise of {@code counter}), then records the step. Throws {@link CudaException}
     * when the step cannot be recorded: it reads to the host (a synchronisation), or copies from
     * the host; {@code chains} have then taken their first step all the same.
     */
    static SgldGraph recordFirstStep(CudaBackend backend, Tensor callersChains, UnaryOperator<Tensor> gradient,
                                     float step, float noiseStd, long seed, long counter) {
        CudaContext context = backend.context;
        // Allocated directly, never lent by a workspace a caller may have entered: the graph owns it.
        int[] shape = callersChains.shape();
        int n = Shape.numel(shape);
        Tensor chains = new Tensor(new CudaStorage(backend, DeviceBuffer.allocate(context, n)), shape,
                Shape.contiguousStrides(shape), 0);
        DeviceBuffer deviceCounter = DeviceBuffer.allocate(context, 2);  // one long long in two floats' room
        Workspace workspace = new Workspace();
        // The first step runs before the recording, on the caller's chains and counter, as a real
        // step: the gradient may have effects of its own (a running sum), which must see real
        // chains. It also loads every kernel the step launches (the driver loads a kernel at its
        // first launch), and puts every buffer the step needs in the workspace that the recorded
        // step reuses.
        backend.copyInto(chains, callersChains);
        backend.kernel("sgld", "set_counter").launch(1, 1, 1, 1, 1, 1, 0, deviceCounter, counter);
        try (Workspace.Scope scope = workspace.enter()) {
            oneStep(backend, gradient, chains, deviceCounter, step, noiseStd, seed);
        }
        backend.copyInto(callersChains, chains);
        context.synchronize();
        CUgraph graph = new CUgraph();
        context.makeCurrent();
        // RELAXED: should the recorded step still allocate, cuMemAlloc is allowed during the capture.
        CudaException.check(JCudaDriver.cuStreamBeginCapture(context.stream, CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED),
                "cuStreamBeginCapture");
        context.recording(true);
        RuntimeException failure = null;
        try (Workspace.Scope scope = workspace.enter()) {
            oneStep(backend, gradient, chains, deviceCounter, step, noiseStd, seed);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            context.recording(false);
        }
        int ended = JCudaDriver.cuStreamEndCapture(context.stream, graph);
        if (failure != null) throw new CudaException("the SGLD step cannot be recorded as a CUDA graph: " + failure.getMessage());
        CudaException.check(ended, "recording the SGLD step (cuStreamEndCapture)");
        CUgraphExec exec = new CUgraphExec();
        int instantiated = JCudaDriver.cuGraphInstantiate(exec, graph, 0);
        CudaException.check(JCudaDriver.cuGraphDestroy(graph), "cuGraphDestroy");
        CudaException.check(instantiated, "cuGraphInstantiate");
        SgldGraph recorded = new SgldGraph(backend, chains, deviceCounter, workspace, exec, step, noiseStd, seed);
        CLEANER.register(recorded, () -> context.releaseLater(
                () -> CudaException.check(JCudaDriver.cuGraphExecDestroy(exec), "cuGraphExecDestroy")));
        return recorded;
    }

    /** One step: the gradient at the chains, the update with the noise of the device's counter, the counter moved on. */
    private static void oneStep(CudaBackend backend, UnaryOperator<Tensor> gradient, Tensor chains, DeviceBuffer counter,
                             float step, float noiseStd, long seed) {
        int n = chains.numel();
        Tensor grad = backend.dense(gradient.apply(chains));
        backend.kernel("sgld", "sgld_update_at").launchLinear((n + 1) / 2, (long) n, step, noiseStd, seed, counter,
                CudaBackend.address(chains), CudaBackend.address(grad));
        backend.kernel("sgld", "advance_counter").launch(1, 1, 1, 1, 1, 1, 0, counter, RandomStream.normalBlocks(n));
    }

    /** {@code steps} steps on {@code chains} in place, the noise of step s from counter + s·⌈n/2⌉. */
    void run(Tensor chains, int steps, long firstCounter) {
        backend.copyInto(this.chains, chains);
        backend.kernel("sgld", "set_counter").launch(1, 1, 1, 1, 1, 1, 0, counter, firstCounter);
        for (int s = 0; s < steps; s++) {
            CudaException.check(JCudaDriver.cuGraphLaunch(exec, backend.context.stream), "cuGraphLaunch (SGLD step " + s + ")");
            replays++;
        }
        backend.copyInto(chains, this.chains);
    }

    long replays() {
        return replays;
    }
}
