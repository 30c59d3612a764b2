package cebm.bench;

import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.Backends;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The backend a benchmark runs on ({@code -p backend=cpu} or {@code cuda}, found by name through
 * {@link Backends}), with a workspace for the benchmark's op results.
 *
 * <p>Two things make GPU times honest, and the CPU benchmarks do the same so that the two compare:
 * <ul>
 *   <li>each benchmark op ends with {@link #await}, because a GPU backend only queues its kernels:
 *       without a wait the time would be that of the launches;</li>
 *   <li>each op runs inside a {@link Workspace} scope, as the SGLD loop does, so that its results
 *       reuse the buffers of the op before instead of allocating device memory every time.</li>
 * </ul>
 * Where CUDA is not usable the setup fails with the probe's one-line reason; {@code bench/run.sh}
 * passes {@code -p backend=cuda} only where {@link UsableBackends} lists it.
 */
@State(Scope.Benchmark)
public class BackendState {
    @Param({"cpu", "cuda"})
    public String backend;

    /** The backend named by {@link #backend}. */
    Backend device;
    final Workspace workspace = new Workspace();

    @Setup
    public void setUp() {
        device = Backends.named(backend);
    }

    /** Scope of one benchmark op: its results go back to the workspace when it closes. */
    Workspace.Scope scope() {
        return workspace.enter();
    }

    /**
     * Waits until {@code result} is computed, and everything queued before it (a backend runs its
     * ops in order: the CUDA backend on one stream), and returns one of its elements. Reading one
     * element is the cheapest wait the Backend interface offers: on CUDA a stream synchronisation
     * and a 4-byte copy, on the CPU an array read.
     */
    static float await(Tensor result) {
        return result.backend().read(result.storage(), result.offset());
    }

    /** Moves a model, built on the CPU where its seeded initialisation is drawn, to this backend. */
    void place(EnergyModel model) {
        model.parameters().moveTo(device);
    }
}
