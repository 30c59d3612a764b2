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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** The settings given on the command line, by record component: an option per {@link TrainConfig} component. */
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /**
     * Adds an option for each setting of {@link TrainConfig}, named after it ({@code --buffer-size}
     * for {@code bufferSize}) and described by its {@link TrainConfig.Setting}; what is given lands in
     * {@link #settings}, and overrides the preset's value.
     */
    void declareSettings(CommandSpec spec) {
        // The settings first, in the record's order, then the options of the run itself.
        List<OptionSpec> runOptions = List.copyOf(spec.options());
        runOptions.forEach(spec::remove);
        for (RecordComponent setting : TrainConfig.class.getRecordComponents()) {
            String name = setting.getName();
            Class<?> type = setting.getType();
            spec.addOption(OptionSpec.builder(TrainConfig.option(name))
                    .type(type.isPrimitive() ? MethodType.methodType(type).wrap().returnType() : type)
                    .negatable(type == boolean.class)
                    .arity(type == boolean.class ? "0" : "1")
                    .paramLabel("<" + name + ">")
                    .description(setting.getAnnotation(TrainConfig.Setting.class).value() + sharedDefault(setting))
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (value != null) settings.put(name, value);
                            return null;
                        }
                    })
                    .build());
        }
        runOptions.forEach(spec::addOption);
    }

    /** " Default: v." for a setting every preset leaves at its default (the others are in the presets' summary). */
    private static String sharedDefault(RecordComponent setting) {
        try {
            Object value = setting.getAccessor().invoke(TrainConfig.defaults());
            for (String preset : TrainConfig.PRESETS) {
                if (!Objects.equals(setting.getAccessor().invoke(TrainConfig.preset(preset)), value)) return "";
            }
            return value == null || setting.getName().equals("preset") ? "" : " Default: " + value + ".";
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

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
        TrainConfig c = TrainConfig.preset((String) settings.getOrDefault("preset", "quick")).with(settings);
        Path folder = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + c.preset());
        OutputPaths.checkFolder("--out", folder, "the run");
        Architecture architecture = Architecture.named(c.arch());
        // Data first: a missing or malformed file stops here, before any run folder exists.
        c = withDataDir(c);
        DataSets.Split split = loadData(c);
        checkShape(split, architecture, "use --arch " + (split.train().channels() == 3 ? "paper32" : "code28 or paper28"));
        EnergyModel energyModel = c.newModel();
        energyModel.parameters().moveTo(backend);
        try (RunLock lock = RunLock.acquire(folder)) {
            if (Files.exists(folder.resolve(TrainingRun.CHECKPOINT))) {
                throw new Main.UsageError(folder + " already holds a run; use --resume " + folder + " or another --out");
            }
            System.out.printf("training %s (%s, %,d parameters) on %s (%d images) for %d steps on %s; run folder %s%n",
                    c.model(), c.arch(), energyModel.parameters().count(), c.data(), split.train().size(), c.steps(), backend.name(), folder);
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
        TrainConfig run = Checkpoint.config(checkpoint), c = run.with(settings);
        List<ResumeSettings.Change> changes = ResumeSettings.allowed(run, c);
        long reached = Checkpoint.step(checkpoint);
        if (c.steps() < reached) throw new Main.UsageError("--steps " + c.steps() + " is below the run's step " + reached);
        c = withDataDir(c);
        DataSets.Split split = loadData(c);
        Trainer trainer = Checkpoint.resume(checkpoint, c, split.train(), backend);
        // The checkpoint holds the learning rate and SGLD steps as rollbacks left them; a value given now replaces them.
        Trainer.Pace pace = trainer.pace();
        trainer.setPace(new Trainer.Pace(settings.containsKey("lr") ? c.lr() : pace.learningRate(),
                settings.containsKey("sgldSteps") ? c.sgldSteps() : pace.sgldSteps()));
        OptionalDouble wallSeconds = Checkpoint.wallSeconds(checkpoint);
        Path folder = checkpoint.toAbsolutePath().getParent();
        try (RunLock lock = RunLock.acquire(folder)) {
            if (!Files.getLastModifiedTime(checkpoint).equals(read)) {
                throw new Main.UsageError(checkpoint + " changed while it was read (a trainer held " + folder + " until now); resume again");
            }
            System.out.printf("resuming %s at step %d of %d on %s from %s%n",
                    c.model(), trainer.stepCount(), c.steps(), backend.name(), checkpoint);
            if (!changes.isEmpty()) System.out.println("changed: " + String.join(", ", changes.stream().map(Object::toString).toList()));
            return train(trainer, split, folder, wallSeconds);
        }
    }

    private int train(Trainer trainer, DataSets.Split split, Path folder, OptionalDouble resumedWallSeconds) throws Exception {
        Progress progress = new Progress(System.out, quiet, trainer.stepCount(), trainer.config().steps());
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

    /** A run that names no data folder reads the default one, {@code data}, and keeps its path. */
    private static TrainConfig withDataDir(TrainConfig c) {
        return c.dataDir() != null ? c : c.with("dataDir", Path.of("data").toAbsolutePath().toString());
    }

    /** The run's data, from --data-dir or else from the folder the run was trained from. */
    private DataSets.Split loadData(TrainConfig c) throws IOException {
        try {
            return DataSets.load(c.data(), Path.of(c.dataDir()));
        } catch (NoSuchFileException e) {
            if (settings.containsKey("dataDir")) throw e;
            throw new Main.UsageError(e.getMessage() + "; give --data-dir");
        }
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
