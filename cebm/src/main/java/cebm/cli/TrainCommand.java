package cebm.cli;

import cebm.data.DataSets;
import cebm.eval.LearningProbe;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.train.Checkpoint;
import cebm.train.Progress;
import cebm.train.RunLock;
import cebm.train.TrainConfig;
import cebm.train.Trainer;
import cebm.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Trains an energy-based model by contrastive divergence with SGLD.",
                "Persistent contrastive divergence with a replay buffer, as in Wu et al., ICML 2021.",
                "Energy convention: E(x) = -log p(x) + const; SGLD moves chains downhill:",
                "  x <- x - sgld-step * dE/dx + sgld-noise * N(0, I).",
                "Without options: the 'quick' preset on the embedded synthetic digits (no download).",
                "Options given explicitly override the preset's values.",
                "Writes a run folder: config.json, metrics.csv, checkpoint.safetensors, samples/*.png, energies.png, "
                        + "probe.csv and probe.png (the learning probe, also in the progress line)."})
final class TrainCommand implements Callable<Integer> {
    /** The end of {@code train --help}: each preset's values, read from the presets themselves. */
    static String[] footer() {
        return new String[]{"", "Presets:", TrainConfig.presetSummary(),
                "paper-mnist and paper-cifar take the paper's values except the SGLD step and noise: the paper's",
                "(step 0.0375, noise std 0.27) keep the chains noise and do not train; they take the authors' code's."};
    }

    @Option(names = "--preset", description = "quick (default), code-mnist, paper-mnist, paper-cifar.")
    String preset;
    @Option(names = "--data", description = "synthetic, mnist, fashion-mnist or cifar10.")
    String data;
    @Option(names = "--data-dir", description = "Folder with the data files (or with mnist/, fashion-mnist/, cifar-10/ in it). "
            + "Default: data; a resumed run: the run's.")
    Path dataDir;
    @Option(names = "--model", description = "cebm, gmm-cebm or igebm.")
    String model;
    @Option(names = "--arch", description = "paper28, paper32 or code28.")
    String arch;
    @Option(names = "--components", description = "Mixture components of gmm-cebm.")
    Integer components;
    @Option(names = "--learn-bias", negatable = true, description = "Train the mixture's means and log-stds (gmm-cebm).")
    Boolean learnBias;
    @Option(names = "--steps", description = "Gradient steps in total.")
    Integer steps;
    @Option(names = "--batch", description = "Images per step (data and chains each).")
    Integer batch;
    @Option(names = "--lr", description = "Adam learning rate.")
    Float lr;
    @Option(names = "--gamma", description = "Weight of the energy regulariser mean(E_data^2) + mean(E_model^2).")
    Float gamma;
    @Option(names = "--data-noise", description = "Std of the Gaussian noise added to data images.")
    Float dataNoise;
    @Option(names = "--sgld-steps", description = "SGLD steps per gradient step.")
    Integer sgldSteps;
    @Option(names = "--sgld-step", description = "Coefficient of dE/dx in the SGLD update (alpha/2 in the paper).")
    Float sgldStep;
    @Option(names = "--sgld-noise", description = "Std of the SGLD noise.")
    Float sgldNoise;
    @Option(names = "--buffer-size", description = "Replay buffer size.")
    Integer bufferSize;
    @Option(names = "--reuse", description = "Probability in [0,1] that a chain continues from the buffer.")
    Float reuse;
    @Option(names = "--seed", description = "Seed of every random number of the run.")
    Long seed;
    @Option(names = "--log-every", description = "Steps between metrics lines.")
    Integer logEvery;
    @Option(names = "--checkpoint-every", description = "Steps between checkpoints.")
    Integer checkpointEvery;
    @Option(names = "--checkpoint-minutes", description = "Minutes of training between checkpoints as well, so that a crash "
            + "loses little of a slow run; 0: by --checkpoint-every only. Default: 10.")
    Double checkpointMinutes;
    @Option(names = "--sample-every", description = "Steps between sample pictures.")
    Integer sampleEvery;
    @Option(names = "--sample-steps", description = "SGLD steps of the short-run samples from noise in the pictures.")
    Integer sampleSteps;
    @Option(names = "--probe-every", description = "Steps between measurements of the learning probe (probe.csv, probe.png: "
            + "few-label accuracy on fixed images, and how confidently a pixel classifier reads the buffer and samples from noise, "
            + "and how many classes); 0: a twentieth of the run.")
    Integer probeEvery;
    @Option(names = "--loss-bound", description = "|loss| above this counts as divergence, as does a non-finite loss or energy.")
    Double lossBound;
    @Option(names = "--divergence-factor", description = "An energy (mean E_data or E_model of a step) above this many times "
            + "the run's recent energy scale counts as divergence; the scale is the average of max(|E_data|, |E_model|) over "
            + "about the last 100 steps, taken as at least 1. Divergence rolls back to the last checkpoint with a smaller "
            + "learning rate and fresh random numbers. Default: 100.")
    Double divergenceFactor;
    @Option(names = "--max-rollbacks", description = "Rollbacks to the last checkpoint before giving up.")
    Integer maxRollbacks;
    @Option(names = "--rollback-lr-factor", description = "Learning-rate factor in (0,1] applied on each rollback.")
    Float rollbackLrFactor;
    @Option(names = "--rollback-extra-sgld-steps", description = "SGLD steps added on each rollback.")
    Integer rollbackExtraSgldSteps;
    @Option(names = "--out", description = "Run folder (default: runs/<date-time>-<preset>).")
    Path out;
    @Option(names = "--resume", description = "Continue the run in this folder (or from this checkpoint file) exactly where it "
            + "stopped. --steps raises its target; the learning rate, SGLD settings, intervals and divergence settings may "
            + "change (each change is printed); the data, model, architecture, batch, latent size, buffer and seed may not.")
    Path resume;
    @Option(names = "--device", description = "cpu (default), cuda, or reference (the plain loops every backend is tested against; slow).")
    String device = "cpu";
    @Option(names = {"-q", "--quiet"}, description = "No progress bar (messages and errors still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Backend backend = Devices.backend(device);
        if (resume != null) return resume(backend);
        TrainConfig c = TrainConfig.preset(preset != null ? preset : "quick");
        applyOverrides(c);
        c.validate();
        Path folder = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + c.preset);
        OutputPaths.checkFolder("--out", folder, "the run");
        Architecture architecture = Architecture.named(c.arch);
        // Data first: a missing or malformed file stops here, before any run folder exists.
        DataSets.Split split = loadData(c);
        checkShape(split, architecture, "use --arch " + (split.train().channels() == 3 ? "paper32" : "code28 or paper28"));
        EnergyModel energyModel = c.newModel();
        energyModel.parameters().moveTo(backend);
        try (RunLock lock = RunLock.acquire(folder)) {
            if (Files.exists(folder.resolve(TrainingRun.CHECKPOINT))) {
                throw new Main.UsageError(folder + " already holds a run; use --resume " + folder + " or another --out");
            }
            System.out.printf("training %s (%s, %,d parameters) on %s (%d images) for %d steps on %s; run folder %s%n",
                    c.model, c.arch, energyModel.parameters().count(), c.data, split.train().size(), c.steps, backend.name(), folder);
            Trainer trainer = new Trainer(c, energyModel, split.train());
            return train(trainer, split, folder, OptionalDouble.empty());
        }
    }

    private Integer resume(Backend backend) throws Exception {
        Path checkpoint = Files.isDirectory(resume) ? resume.resolve(TrainingRun.CHECKPOINT) : resume;
        if (!Files.isRegularFile(checkpoint)) throw new Main.UsageError("no checkpoint at " + checkpoint);
        if (out != null) throw new Main.UsageError("--resume continues in the run's own folder; --out is for new runs");
        // The checkpoint, settings and data are read and checked before the run folder is locked, so that a refused
        // resume leaves the folder as it was; the time stamp tells whether a trainer that held it replaced the checkpoint since.
        FileTime read = Files.getLastModifiedTime(checkpoint);
        TrainConfig run = Checkpoint.config(checkpoint), c = Checkpoint.config(checkpoint);
        if (preset != null) c.preset = preset;
        applyOverrides(c);
        List<ResumeSettings.Change> changes = ResumeSettings.allowed(run, c);
        c.validate();
        long reached = Checkpoint.step(checkpoint);
        if (c.steps < reached) throw new Main.UsageError("--steps " + c.steps + " is below the run's step " + reached);
        DataSets.Split split = loadData(c);
        Trainer trainer = Checkpoint.resume(checkpoint, c, split.train(), backend);
        // The checkpoint holds the learning rate and SGLD steps as rollbacks left them; a value given now replaces them.
        if (lr != null) trainer.optimizer().setLearningRate(c.lr);
        if (sgldSteps != null) trainer.restoreSgldSteps(c.sgldSteps);
        OptionalDouble wallSeconds = Checkpoint.wallSeconds(checkpoint);
        Path folder = checkpoint.toAbsolutePath().getParent();
        try (RunLock lock = RunLock.acquire(folder)) {
            if (!Files.getLastModifiedTime(checkpoint).equals(read)) {
                throw new Main.UsageError(checkpoint + " changed while it was read (a trainer held " + folder + " until now); resume again");
            }
            System.out.printf("resuming %s at step %d of %d on %s from %s%n",
                    c.model, trainer.stepCount(), c.steps, backend.name(), checkpoint);
            if (!changes.isEmpty()) System.out.println("changed: " + String.join(", ", changes.stream().map(Object::toString).toList()));
            return train(trainer, split, folder, wallSeconds);
        }
    }

    private int train(Trainer trainer, DataSets.Split split, Path folder, OptionalDouble resumedWallSeconds) throws Exception {
        Progress progress = new Progress(System.out, quiet, trainer.stepCount(), trainer.config().steps);
        try {
            new TrainingRun(trainer, split.test(), folder, progress).withProbe(new LearningProbe(split.train(), split.test()))
                    .resumedAfter(resumedWallSeconds).run();
        } catch (TrainingRun.DivergedException e) {
            progress.message("cebm train: " + e.getMessage());
            return 1;
        }
        System.out.printf("done: %d steps in %s; samples and metrics in %s%n", trainer.stepCount(),
                Progress.clock(progress.elapsedSeconds()), folder);
        return 0;
    }

    /** The run's data, from --data-dir or else from the folder the run was trained from (runs that kept none: data). */
    private DataSets.Split loadData(TrainConfig c) throws IOException {
        if (c.dataDir == null) c.dataDir = Path.of("data").toAbsolutePath().toString();
        try {
            return DataSets.load(c.data, Path.of(c.dataDir));
        } catch (NoSuchFileException e) {
            if (dataDir != null) throw e;
            throw new Main.UsageError(e.getMessage() + "; give --data-dir");
        }
    }

    private void applyOverrides(TrainConfig c) {
        if (data != null) c.data = data;
        if (dataDir != null) c.dataDir = dataDir.toAbsolutePath().toString();
        if (model != null) c.model = model;
        if (arch != null) c.arch = arch;
        if (components != null) c.components = components;
        if (learnBias != null) c.learnBias = learnBias;
        if (steps != null) c.steps = steps;
        if (batch != null) c.batch = batch;
        if (lr != null) c.lr = lr;
        if (gamma != null) c.gamma = gamma;
        if (dataNoise != null) c.dataNoise = dataNoise;
        if (sgldSteps != null) c.sgldSteps = sgldSteps;
        if (sgldStep != null) c.sgldStep = sgldStep;
        if (sgldNoise != null) c.sgldNoise = sgldNoise;
        if (bufferSize != null) c.bufferSize = bufferSize;
        if (reuse != null) c.reuse = reuse;
        if (seed != null) c.seed = seed;
        if (logEvery != null) c.logEvery = logEvery;
        if (checkpointEvery != null) c.checkpointEvery = checkpointEvery;
        if (checkpointMinutes != null) c.checkpointMinutes = checkpointMinutes;
        if (sampleEvery != null) c.sampleEvery = sampleEvery;
        if (sampleSteps != null) c.sampleSteps = sampleSteps;
        if (probeEvery != null) c.probeEvery = probeEvery;
        if (lossBound != null) c.lossBound = lossBound;
        if (divergenceFactor != null) c.divergenceFactor = divergenceFactor;
        if (maxRollbacks != null) c.maxRollbacks = maxRollbacks;
        if (rollbackLrFactor != null) c.rollbackLrFactor = rollbackLrFactor;
        if (rollbackExtraSgldSteps != null) c.rollbackExtraSgldSteps = rollbackExtraSgldSteps;
    }

    /**
     * The data's images must have the shape the network takes; {@code remedy} ends the message with what the
     * user can change (train chooses the architecture, eval only the data).
     */
    static void checkShape(DataSets.Split split, Architecture a, String remedy) {
        var d = split.train();
        if (d.channels() != a.channels() || d.height() != a.size() || d.width() != a.size()) {
            throw new Main.UsageError("architecture " + a.name() + " takes " + a.channels() + "x" + a.size() + "x" + a.size()
                    + " images but " + d.name() + " has " + d.channels() + "x" + d.height() + "x" + d.width() + "; " + remedy);
        }
    }

}
