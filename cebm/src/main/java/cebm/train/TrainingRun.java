package cebm.train;

import cebm.data.Dataset;
import cebm.io.AtomicFiles;
import cebm.io.ImageGrid;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.awt.AWTError;
import java.awt.HeadlessException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A training run in its own folder:
 * <pre>
 *   config.json              the resolved configuration
 *   metrics.csv              one line per logged step (wall_s: seconds trained, over all stretches of the run)
 *   checkpoint.safetensors   the latest good state (atomic; resume and rollback read it)
 *   samples/buffer-NNNNNN.png, samples/noise-NNNNNN.png   replay buffer and short-run samples
 *   energies.png             E_data and E_model over training
 * </pre>
 * Checkpoints come every {@code checkpointEvery} steps and every {@code checkpointMinutes} of
 * training, so that a crash loses minutes. Divergence (a non-finite or huge loss, or energies far
 * beyond the run's own scale) rolls the run back to the checkpoint with a smaller learning rate and
 * fresh random numbers, up to {@code maxRollbacks} times.
 */
public final class TrainingRun {
    public static final String CHECKPOINT = "checkpoint.safetensors";
    /** The folder of the pictures of the replay buffer and of short-run samples. */
    static final String SAMPLES = "samples";
    static final String METRICS_HEADER = "step,loss,E_data,E_model,E_div,grad_norm,E_noise,E_heldout,lr,sgld_steps,steps_per_s,wall_s";
    private static final int GRID_IMAGES = 64;
    /** The training metrics, one line per {@code logEvery} steps. */
    public static final String METRICS_CSV = "metrics.csv";
    /** The probe's measurements, one line per probe. */
    public static final String PROBE_CSV = "probe.csv";

    private final Trainer trainer;
    private final Path folder;
    private final Progress progress;
    private final Tensor heldOut;
    private final Tensor noise;
    private int rollbacks;
    private boolean warnedAboutPictures;
    private Probe probe;
    private String probeSummary = "";
    private OptionalDouble resumedWallSeconds = OptionalDouble.empty();
    /** Seconds trained before this stretch of the run. */
    private double wallSecondsBefore;
    private long lastCheckpointNanos = System.nanoTime();

    /** Thrown when a run diverged more often than it may roll back (the playground never rolls back). */
    public static final class DivergedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DivergedException(String message) {
            super(message);
        }
    }

    public TrainingRun(Trainer trainer, Dataset heldOutData, Path folder, Progress progress) {
        this.trainer = trainer;
        this.folder = folder;
        this.progress = progress;
        int n = Math.min(trainer.config().batch(), heldOutData.size());
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        this.heldOut = heldOutData.batch(rows).to(trainer.model().parameters().backend());
        // Diagnostics draw from their own stream, so that they never change the training's randomness.
        this.noise = new RandomStream(trainer.config().seed() + 1).uniform(heldOut.backend(), -1f, 1f, heldOut.shape());
    }

    /** Measures the model with {@code probe} every {@code probeEvery} steps and at the last step. */
    public TrainingRun withProbe(Probe probe) {
        this.probe = probe;
        return this;
    }

    /**
     * Continues wall_s from the seconds a resumed checkpoint had trained for; where it has none (written
     * before they were kept), from the last row of metrics.csv up to its step.
     */
    public TrainingRun resumedAfter(OptionalDouble wallSeconds) {
        this.resumedWallSeconds = wallSeconds;
        return this;
    }

    /** Trains until the configured number of steps; returns the run folder. */
    public Path run() throws IOException {
        TrainConfig c = trainer.config();
        Files.createDirectories(folder.resolve(SAMPLES));
        AtomicFiles.write(folder.resolve("config.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(c));
        Path metricsFile = folder.resolve(METRICS_CSV);
        if (!Files.exists(metricsFile)) AtomicFiles.write(metricsFile, (METRICS_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        String lastMetrics = keepRowsUpTo(metricsFile, trainer.stepCount());
        keepRowsUpTo(folder.resolve(PROBE_CSV), trainer.stepCount());
        // Where the checkpoint has no wall clock, the last row kept has it (its last column, wall_s).
        double loggedWallSeconds = lastMetrics == null ? 0 : Double.parseDouble(lastMetrics.substring(lastMetrics.lastIndexOf(',') + 1));
        wallSecondsBefore = resumedWallSeconds.orElse(loggedWallSeconds);
        if (!Files.exists(folder.resolve(CHECKPOINT))) checkpoint();

        long windowStart = System.nanoTime();
        int windowSteps = 0;
        Writer metrics = appendTo(metricsFile);
        try {
            while (trainer.stepCount() < c.steps()) {
                Trainer.StepResult r = trainer.step();
                if (!r.applied()) {
                    // Closed first: the rollback rewrites metrics.csv without the abandoned steps' rows.
                    metrics.close();
                    rollBack(r);
                    metrics = appendTo(metricsFile);
                    continue;
                }
                windowSteps++;
                int step = r.step();
                if (step % c.logEvery() == 0 || step == c.steps()) {
                    double rate = windowSteps / ((System.nanoTime() - windowStart) / 1e9);
                    logLine(metrics, r, rate);
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
                if (step % c.sampleEvery() == 0 || step == c.steps()) picturesOrWarn(step);
                if (probe != null && (step % c.probeInterval() == 0 || step == c.steps())) probe(step);
                // The checkpoint comes last: a run killed before it repeats the step on resume, pictures and probe
                // included; one killed after it has written all of the step, which a resume would not write again.
                if (step % c.checkpointEvery() == 0 || step == c.steps() || (c.checkpointMinutes() > 0 && minutesSinceCheckpoint() >= c.checkpointMinutes())) {
                    checkpoint();
                }
            }
        } finally {
            metrics.close();
        }
        progress.finish();
        return folder;
    }

    private static Writer appendTo(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Rewrites a CSV file of the run (metrics.csv, probe.csv) with its rows up to {@code step} only: a run
     * killed after its last checkpoint logged rows that its resumed run logs again, and maybe a row torn
     * by the kill. Returns the last row kept, null if none (or no file).
     */
    private static String keepRowsUpTo(Path file, int step) throws IOException {
        if (!Files.exists(file)) return null;
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) return null;
        int columns = lines.get(0).split(",").length;
        StringBuilder kept = new StringBuilder(lines.get(0)).append('\n');
        String last = null;
        for (String row : lines.subList(1, lines.size())) {
            String[] values = row.split(",");
            if (values.length != columns || Integer.parseInt(values[0]) > step) continue;
            kept.append(row).append('\n');
            last = row;
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        return last;
    }

    private void checkpoint() throws IOException {
        Checkpoint.save(folder.resolve(CHECKPOINT), trainer, wallSeconds());
        lastCheckpointNanos = System.nanoTime();
    }

    private double minutesSinceCheckpoint() {
        return (System.nanoTime() - lastCheckpointNanos) / 60e9;
    }

    private double wallSeconds() {
        return wallSecondsBefore + progress.elapsedSeconds();
    }

    private void logLine(Writer metrics, Trainer.StepResult r, double rate) throws IOException {
        double eNoise = trainer.meanEnergy(noise), eHeldOut = trainer.meanEnergy(heldOut);
        metrics.write(String.format(java.util.Locale.ROOT, "%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.3g,%d,%.4g,%.1f%n",
                r.step(), r.loss(), r.energyData(), r.energyModel(), r.energyDifference(), r.gradNorm(), eNoise, eHeldOut,
                trainer.pace().learningRate(), trainer.pace().sgldSteps(), rate, wallSeconds()));
        metrics.flush();
        progress.update(r.step(), String.format("loss %.4g  E_data %.4g  E_model %.4g", r.loss(), r.energyData(), r.energyModel())
                + probeSummary);
    }

    private void rollBack(Trainer.StepResult r) throws IOException {
        TrainConfig c = trainer.config();
        String what = String.format("diverged at step %d (loss %.4g, E_data %.4g, E_model %.4g)",
                r.step() + 1, r.loss(), r.energyData(), r.energyModel());
        if (rollbacks == c.maxRollbacks()) {
            throw new DivergedException(what + "; gave up after " + c.maxRollbacks() + " rollbacks. The last good state is "
                    + folder.resolve(CHECKPOINT) + "; try a smaller --lr, a larger --gamma or more --sgld-steps.");
        }
        rollbacks++;
        // The checkpoint brings back the state of its step, and the run goes on slower than it went before the rollback.
        Trainer.Pace before = trainer.pace();
        Checkpoint.restore(folder.resolve(CHECKPOINT), trainer);
        keepRowsUpTo(folder.resolve(METRICS_CSV), trainer.stepCount());
        keepRowsUpTo(folder.resolve(PROBE_CSV), trainer.stepCount());
        trainer.drawFreshRandomness(rollbacks);
        trainer.setPace(before.slowedDown(c.rollbackLrFactor(), c.rollbackExtraSgldSteps()));
        progress.message(String.format("%s: rolled back to step %d with fresh random numbers, lr %.3g -> %.3g, SGLD steps %d -> %d (rollback %d of %d)",
                what, trainer.stepCount(), before.learningRate(), trainer.pace().learningRate(), before.sgldSteps(),
                trainer.pace().sgldSteps(), rollbacks, c.maxRollbacks()));
    }

    /** Appends the probe's values to probe.csv (written with its header the first time) and redraws probe.png. */
    private void probe(int step) throws IOException {
        double[] values = probe.measure(trainer);
        Path csv = folder.resolve(PROBE_CSV);
        StringBuilder line = new StringBuilder();
        if (!Files.exists(csv)) line.append("step,").append(String.join(",", probe.columns())).append('\n');
        line.append(step);
        for (double v : values) line.append(',').append(String.format(java.util.Locale.ROOT, "%.4f", v));
        Files.writeString(csv, line.append('\n').toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        probeSummary = "  " + probe.summary(values);
        try {
            ProbePlot.write(csv, folder.resolve("probe.png"));
        } catch (AWTError | HeadlessException | LinkageError | InternalError e) {
            if (!warnedAboutPictures) progress.message("pictures not written from step " + step + " on (" + e + "); training goes on");
            warnedAboutPictures = true;
        }
    }

    /**
     * The pictures are for looking at; the checkpoint and metrics are the run. Where Java cannot draw
     * (a machine without fonts or the image libraries that AWT links), the first failure is printed
     * and training goes on.
     */
    private void picturesOrWarn(int step) throws IOException {
        Tensor buffer = trainer.buffer().images();
        Tensor fromBuffer = buffer.slice(0, Math.min(GRID_IMAGES, buffer.size(0)));
        Tensor fromNoise = trainer.sampleFromNoise(GRID_IMAGES, trainer.config().sampleSteps(), trainer.config().seed() + 2);
        Path samples = folder.resolve(SAMPLES);
        try {
            ImageGrid.write(samples.resolve(String.format("buffer-%06d.png", step)), fromBuffer, 8);
            ImageGrid.write(samples.resolve(String.format("noise-%06d.png", step)), fromNoise, 8);
            EnergyPlot.write(folder.resolve(METRICS_CSV), folder.resolve("energies.png"));
        } catch (AWTError | HeadlessException | LinkageError | InternalError e) {
            if (!warnedAboutPictures) progress.message("pictures not written from step " + step + " on (" + e + "); training goes on");
            warnedAboutPictures = true;
        }
    }

    public int rollbacks() {
        return rollbacks;
    }
}
