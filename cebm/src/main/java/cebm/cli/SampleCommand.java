package cebm.cli;

import cebm.eval.Steps;
import cebm.io.ImageGrid;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.train.Checkpoint;
import cebm.train.Progress;
import cebm.train.Sgld;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draws a grid of samples from a trained model by SGLD.",
                "Uniform noise on [-1, 1] moved by SGLD:",
                "x <- x - step * dE/dx + noise * N(0, I); energy E = -log p + const."})
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "A run folder or a checkpoint file.")
    Path checkpoint;
    @Option(names = "--steps", description = "SGLD steps. Default: ${DEFAULT-VALUE}.")
    int steps = 500;
    @Option(names = "--count", description = "Number of samples. Default: ${DEFAULT-VALUE}.")
    int count = 64;
    @Option(names = "--columns", description = "Images per row of the grid. Default: ${DEFAULT-VALUE}.")
    int columns = 8;
    @Option(names = "--sgld-step", description = "Default: the run's setting.")
    Float sgldStep;
    @Option(names = "--sgld-noise", description = "Default: the run's setting.")
    Float sgldNoise;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}.")
    long seed = 1;
    @Option(names = "--out", description = "PNG file. Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("samples.png");
    @Option(names = "--device", description = "cpu (default), cuda, or reference (the plain loops every backend is tested against; slow).")
    String device = "cpu";
    @Option(names = {"-q", "--quiet"}, description = "No progress bar (messages and errors still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Backend backend = Devices.backend(device);
        if (steps < 0) throw new Main.UsageError("--steps must be ≥ 0, got " + steps);
        if (count <= 0 || columns <= 0) throw new Main.UsageError("--count and --columns must be > 0");
        OutputPaths.checkFile("--out", out, "the PNG");
        Path file = Checkpoints.file(checkpoint);
        var config = Checkpoint.config(file);
        EnergyModel model = Checkpoint.loadModel(file);
        model.parameters().moveTo(backend);
        Progress progress = new Progress(System.out, quiet, 0, steps);
        Steps bar = Steps.on(progress);
        Tensor x = new Sgld(sgldStep != null ? sgldStep : config.sgldStep(), sgldNoise != null ? sgldNoise : config.sgldNoise())
                .sampleFromNoise(model, count, steps, new RandomStream(seed), () -> bar.advance("SGLD"));
        progress.finish();
        ImageGrid.write(out, x, columns);
        System.out.printf("wrote %d samples (%d SGLD steps) to %s%n", count, steps, out);
        return 0;
    }
}
