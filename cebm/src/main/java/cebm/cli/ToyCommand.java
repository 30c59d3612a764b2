package cebm.cli;

import cebm.toy.ToyData;
import cebm.toy.ToyRun;
import cebm.toy.ToySetup;
import cebm.train.Progress;
import cebm.train.TrainConfig;
import cebm.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "toy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Trains a CEBM on points in the plane and draws what it learned.",
                "The 2-D playground: trains a CEBM with an MLP encoder on points in the",
                "plane, with the trainer, SGLD sampler and replay buffer of the image model,",
                "then draws what it learned into the --out folder:",
                "  energy.png    energy E(x) as a heat map (yellow = low), SGLD chains on it",
                "  samples.png   data and SGLD samples from uniform noise, side by side",
                "  latent.png    posterior means of the data, and the nearest-neighbour map",
                "  training.gif  (--gif) the energy and the replay buffer over training,",
                "  training.png  (--gif) and six of its frames side by side",
                "Settings (cebm.toy.ToySetup, which says why): batch " + ToySetup.BATCH + ", Adam lr "
                        + ToySetup.LEARNING_RATE + ",",
                "replay buffer " + ToySetup.BUFFER + ", " + ToySetup.SGLD_STEPS + " SGLD steps per training step of",
                "  x <- x - h * dE/dx + sqrt(2h) * N(0, I)."})
final class ToyCommand implements Callable<Integer> {
    @Option(names = "--dataset", description = "eight-gaussians, two-rings or two-moons. Default: ${DEFAULT-VALUE}.")
    String dataset = "eight-gaussians";
    @Option(names = "--steps", description = "Training steps. Default: ${DEFAULT-VALUE}.")
    int steps = ToySetup.STEPS;
    @Option(names = "--latent", description = "Latent dimensions K (at least 2). Default: ${DEFAULT-VALUE}.")
    int latent = ToySetup.LATENT;
    @Option(names = "--gamma", description = "Weight of the energy regulariser. Default: ${DEFAULT-VALUE}.")
    float gamma = ToySetup.GAMMA;
    @Option(names = "--sgld-step", description = "SGLD step h; the noise is sqrt(2h). Default: ${DEFAULT-VALUE}.")
    float sgldStep = ToySetup.SGLD_STEP;
    @Option(names = "--seed", description = "Seed of the data, the model and the sampler. Default: ${DEFAULT-VALUE}.")
    long seed = 0;
    @Option(names = "--out", description = "Folder for the pictures. Default: toy-<dataset>.")
    Path out;
    @Option(names = "--gif", description = "Also draw training.gif (a frame every 1/40 of the training) and training.png.")
    boolean gif;
    @Option(names = {"-q", "--quiet"}, description = "No progress bar (messages and errors still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ToyData data = ToyData.named(dataset);
        if (steps <= 0) throw new Main.UsageError("--steps must be > 0, got " + steps);
        if (latent < 2) throw new Main.UsageError("--latent must be ≥ 2, got " + latent);
        if (!(gamma >= 0)) throw new Main.UsageError("--gamma must be ≥ 0, got " + gamma);
        if (!(sgldStep > 0)) throw new Main.UsageError("--sgld-step must be > 0, got " + sgldStep);
        TrainConfig config = ToySetup.config(data, latent, steps, seed);
        config = config.with("gamma", gamma);
        config = config.with("sgldStep", sgldStep);
        config = config.with("sgldNoise", ToySetup.langevinNoise(sgldStep));
        Path folder = out != null ? out : Path.of("toy-" + data.flag());
        OutputPaths.checkFolder("--out", folder, "the pictures");
        System.out.printf("training a CEBM (%s, K = %d) on %s for %d steps; pictures in %s%n",
                ToySetup.ARCHITECTURE.name(), latent, data.flag(), steps, folder);
        Progress progress = new Progress(System.out, quiet, 0, steps);
        ToyRun.Result r;
        try {
            r = new ToyRun(config, folder, gif).run(progress);
        } catch (TrainingRun.DivergedException e) {
            progress.message("cebm toy: " + e.getMessage());
            return 1;
        }
        System.out.printf("done: %d steps in %s (E_data %.3f, E_model %.3f); wrote %s%n", r.steps(),
                Progress.clock(r.seconds()), r.energyData(), r.energyModel(),
                String.join(", ", r.files().stream().map(Path::toString).toList()));
        return 0;
    }
}
