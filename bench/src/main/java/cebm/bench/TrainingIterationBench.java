package cebm.bench;

import cebm.data.Dataset;
import cebm.data.SyntheticDigits;
import cebm.model.Architecture;
import cebm.model.GaussianCebm;
import cebm.train.TrainConfig;
import cebm.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One full PCD training iteration of the CEBM on the paper's 28×28 encoder at batch 128:
 * replay-buffer draw, {@code sgldSteps} SGLD steps, the loss on data and samples, backward to the
 * parameters and an Adam step. With 15, 30 and 60 SGLD steps the time should grow linearly
 * (each step's graph is freed; nothing accumulates across steps).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class TrainingIterationBench {
    @Param({"15", "30", "60"})
    public int sgldSteps;

    private Trainer trainer;
    private long flopsPerIteration;

    @Setup
    public void setUp() {
        TrainConfig c = TrainConfig.preset("paper-mnist");
        c.sgldSteps = sgldSteps;
        c.steps = Integer.MAX_VALUE;
        Dataset data = SyntheticDigits.train(1000, 0);
        trainer = new Trainer(c, new GaussianCebm(Architecture.PAPER_28, c.latent, 0), data);
        long step = EncoderWork.sgldStepFlops(Architecture.PAPER_28, c.batch, c.latent);
        // SGLD, then data and samples each forward and backward (the parameter gradient adds one more product per layer).
        flopsPerIteration = sgldSteps * step + 2 * 3 * EncoderWork.forwardFlops(Architecture.PAPER_28, c.batch, c.latent);
    }

    @Benchmark
    public Trainer.StepResult iteration(GflopCounter work) {
        work.add(flopsPerIteration);
        return trainer.step();
    }
}
