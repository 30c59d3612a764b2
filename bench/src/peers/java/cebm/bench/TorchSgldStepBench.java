package cebm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import cebm.model.Architecture;
import cebm.model.GaussianCebm;
import cebm.tensor.RandomStream;
import cebm.tensor.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SgldStepBench} in PyTorch (DJL, libtorch's CPU build, fp32, eager; {@link TorchEngine}):
 * one SGLD step of the CEBM at batch 128 on the same network, the same initial weights (copied from
 * this engine's model of the same seed) and the same starting chains, with the same warm-up and
 * measurement. CPU ops in libtorch return when done, so each step ends with its result computed.
 * {@code bench/run.sh peers} puts the two side by side.
 */
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class TorchSgldStepBench extends BenchmarkDefaults {
    @Param({"paper28", "paper32"})
    public String arch;

    private NDManager manager;
    private TorchCebm model;
    private TorchSgld sgld;
    private NDArray chains;
    private long flopsPerStep;

    @Setup
    public void setUp() {
        Engine torch = TorchEngine.get();
        torch.setRandomSeed(1);
        manager = torch.newBaseManager();
        Architecture a = Architecture.named(arch);
        model = new TorchCebm(torch, manager, new GaussianCebm(a, SgldStepBench.LATENT, 0));
        float[] start = new RandomStream(1).uniform(CpuBackend.INSTANCE, -1f, 1f, SgldStepBench.BATCH, a.channels(), a.size(), a.size()).toArray();
        chains = TorchCebm.owned(manager, start, SgldStepBench.BATCH, a.channels(), a.size(), a.size());
        sgld = new TorchSgld(manager, 1.0f, 7.5e-3f);
        flopsPerStep = EncoderWork.sgldStepFlops(a, SgldStepBench.BATCH, SgldStepBench.LATENT);
    }

    @Benchmark
    public NDArray sgldStep(GflopCounter work) {
        work.add(flopsPerStep);
        NDArray next = sgld.step(model, chains);
        chains.close();
        chains = next;
        return chains;
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
