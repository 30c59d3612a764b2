package cebm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import cebm.model.Architecture;
import cebm.train.TrainConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TrainingIterationBench} in PyTorch (DJL, libtorch's CPU build, fp32, eager;
 * {@link TorchEngine}): one PCD training iteration at the preset's batch — replay-buffer draw,
 * {@code sgldSteps} SGLD steps, the loss on data and samples, backward to the parameters and an
 * Adam step ({@link TorchTrainer}) — from the same initial weights (copied from this engine's
 * model of the preset's seed), on the same 1000 noise images, with the same warm-up and measurement.
 * The step reads the loss back. {@code bench/run.sh peers} puts the two side by side.
 */
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class TorchTrainingIterationBench extends BenchmarkDefaults {
    @Param({"paper-mnist"})
    public String preset;

    @Param({"15", "30", "60"})
    public int sgldSteps;

    private NDManager manager;
    private TorchTrainer trainer;
    private long flopsPerIteration;

    @Setup
    public void setUp() {
        TrainConfig c = TrainConfig.preset(preset);
        c = c.with("sgldSteps", sgldSteps);
        Architecture a = Architecture.named(c.arch());
        Engine torch = TorchEngine.get();
        torch.setRandomSeed((int) c.seed());
        manager = torch.newBaseManager();
        trainer = new TorchTrainer(c, new TorchCebm(torch, manager, c.newModel()), TrainingIterationBench.noiseImages(a, 1000), manager);
        flopsPerIteration = TrainingIterationBench.flopsPerIteration(a, c);
    }

    @Benchmark
    public float iteration(GflopCounter work) {
        work.add(flopsPerIteration);
        return trainer.step();
    }

    @TearDown
    public void tearDown() {
        manager.close();
    }
}
