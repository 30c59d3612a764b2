package cebm.bench;

import cebm.data.Dataset;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.tensor.RandomStream;
import cebm.tensor.cpu.CpuBackend;
import cebm.train.TrainConfig;
import cebm.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full PCD training iteration of the CEBM at batch 128, on the CPU or the GPU
 * ({@link BackendState}): replay-buffer draw, {@code sgldSteps} SGLD steps, the loss on data and
 * samples, backward to the parameters and an Adam step. {@code preset} is {@code paper-mnist}
 * (the 28×28 encoder) unless {@code -p preset=paper-mnist,paper-cifar} asks for the 32×32×3 one
 * as well. With 15, 30 and 60 SGLD steps the time should grow linearly (each step's graph is
 * freed; nothing accumulates across steps). The step reads the loss back, so it ends with the GPU done.
 *
 * <p>The data are 1000 images of uniform noise on [−1, 1] in the preset's shape, as in the PyTorch
 * peer's {@code torch_cebm.py time}: the pixel values do not change the work.
 */
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@State(Scope.Benchmark)
public class TrainingIterationBench extends BenchmarkDefaults {
    @Param({"paper-mnist"})
    public String preset;

    @Param({"15", "30", "60"})
    public int sgldSteps;

    private Trainer trainer;
    private long flopsPerIteration;

    @Setup
    public void setUp(BackendState on) {
        TrainConfig c = TrainConfig.preset(preset);
        c = c.with("sgldSteps", sgldSteps);
        c = c.with("steps", Integer.MAX_VALUE);
        Architecture a = Architecture.named(c.arch());
        EnergyModel model = c.newModel();
        on.place(model);
        trainer = new Trainer(c, model, noiseImages(a, 1000));
        flopsPerIteration = flopsPerIteration(a, c);
    }

    /** SGLD, then data and samples each forward and backward (the parameter gradient adds one more product per layer). */
    static long flopsPerIteration(Architecture a, TrainConfig c) {
        return c.sgldSteps() * EncoderWork.sgldStepFlops(a, c.batch(), c.latent()) + 2 * 3 * EncoderWork.forwardFlops(a, c.batch(), c.latent());
    }

    /** {@code count} images of uniform noise on [−1, 1] in the architecture's shape (the peer trains on the same). */
    static Dataset noiseImages(Architecture a, int count) {
        float[] pixels = new RandomStream(7).uniform(CpuBackend.INSTANCE, -1f, 1f, count, a.channels(), a.size(), a.size()).toArray();
        return Dataset.of("noise", a.channels(), a.size(), a.size(), 1, pixels, new int[count]);
    }

    @Benchmark
    public Trainer.StepResult iteration(GflopCounter work) {
        work.add(flopsPerIteration);
        return trainer.step();
    }
}
