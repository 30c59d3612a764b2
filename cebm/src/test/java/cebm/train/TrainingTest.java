package cebm.train;

import cebm.data.Dataset;
import cebm.data.SyntheticDigits;
import cebm.model.EnergyModel;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training end to end on the embedded data, with settings small enough for a unit test. */
class TrainingTest {
    private static final Dataset TRAIN = SyntheticDigits.train(200, 1);
    private static final Dataset TEST = SyntheticDigits.test(50, 1);

    static TrainConfig tinyConfig(String model) {
        TrainConfig c = TrainConfig.preset("quick");
        c = c.with("model", model);
        c = c.with("latent", 8);
        c = c.with("components", 3);
        c = c.with("batch", 6);
        c = c.with("steps", 4);
        c = c.with("sgldSteps", 3);
        c = c.with("bufferSize", 40);
        c = c.with("logEvery", 1);
        c = c.with("checkpointEvery", 2);
        c = c.with("sampleEvery", 2);
        c = c.with("sampleSteps", 2);
        c = c.with("lr", 1e-3f);
        return c;
    }

    private static Trainer trainer(TrainConfig c) {
        return new Trainer(c, c.newModel(), TRAIN);
    }

    private static Progress silent() {
        return new Progress(new PrintStream(new ByteArrayOutputStream()), true, 0, 1);
    }

    @Test
    void aFewStepsChangeTheParametersKeepLossesFiniteAndWriteALoadableCheckpoint(@TempDir Path dir) throws Exception {
        for (String model : List.of("cebm", "gmm-cebm", "igebm")) {
            Path folder = dir.resolve(model);
            Trainer t = trainer(tinyConfig(model));
            float[] before = t.model().parameters().get("conv0.weight").value().toArray();
            new TrainingRun(t, TEST, folder, silent()).run();

            assertFalse(java.util.Arrays.equals(before, t.model().parameters().get("conv0.weight").value().toArray()), model);
            List<String> metrics = Files.readAllLines(folder.resolve("metrics.csv"));
            assertEquals(TrainingRun.METRICS_HEADER, metrics.get(0));
            assertEquals(5, metrics.size(), "header + one line per step");
            for (String line : metrics.subList(1, metrics.size())) {
                for (String field : line.split(",")) assertTrue(Double.isFinite(Double.parseDouble(field)), model + ": " + line);
            }
            EnergyModel loaded = Checkpoint.loadModel(folder.resolve(TrainingRun.CHECKPOINT));
            for (var e : t.model().parameters().asMap().entrySet()) {
                assertArrayEquals(e.getValue().value().toArray(), loaded.parameters().get(e.getKey()).value().toArray(), e.getKey());
            }
            assertTrue(Files.size(folder.resolve("energies.png")) > 0);
            assertTrue(Files.exists(folder.resolve("samples/buffer-000004.png")));
            assertTrue(Files.exists(folder.resolve("samples/noise-000004.png")));
            assertTrue(Files.exists(folder.resolve("config.json")));
        }
    }

    @Test
    void resumingGivesExactlyTheSameParametersAsOneRun(@TempDir Path dir) throws Exception {
        TrainConfig c = tinyConfig("cebm");
        Trainer straight = trainer(c);
        new TrainingRun(straight, TEST, dir.resolve("straight"), silent()).run();

        TrainConfig half = tinyConfig("cebm");
        half = half.with("steps", 2);
        Trainer first = trainer(half);
        new TrainingRun(first, TEST, dir.resolve("split"), silent()).run();
        // The second half continues from the checkpoint alone, in a fresh trainer, with the full length.
        Trainer second = Checkpoint.resume(dir.resolve("split").resolve(TrainingRun.CHECKPOINT), TRAIN, CpuBackend.INSTANCE);
        second.changeSettings(second.config().with("steps", 4));
        new TrainingRun(second, TEST, dir.resolve("split"), silent()).run();

        assertEquals(4, second.stepCount());
        for (var e : straight.model().parameters().asMap().entrySet()) {
            assertArrayEquals(e.getValue().value().toArray(), second.model().parameters().get(e.getKey()).value().toArray(),
                    e.getKey() + " differs after resume");
        }
        assertArrayEquals(straight.buffer().images().toArray(), second.buffer().images().toArray());
    }

    /** A run killed after its checkpoint of step 2: metrics.csv has rows it logs again, the last torn, and wall_s of 1000 at step 2. */
    private static Path killedAfterStepTwo(Path folder) throws Exception {
        TrainConfig c = tinyConfig("cebm");
        c = c.with("steps", 2);
        new TrainingRun(trainer(c), TEST, folder, silent()).run();
        Path metrics = folder.resolve("metrics.csv");
        List<String> rows = new java.util.ArrayList<>(Files.readAllLines(metrics));
        rows.set(2, rows.get(2).replaceAll(",[^,]*$", ",1000.0"));
        rows.add(rows.get(2).replaceFirst("^2,", "3,"));
        rows.add("4,0.5,");
        Files.write(metrics, rows);
        return folder.resolve(TrainingRun.CHECKPOINT);
    }

    private static List<String> resumeToStepFour(Path checkpoint, OptionalDouble wallSeconds) throws Exception {
        Trainer t = Checkpoint.resume(checkpoint, TRAIN, CpuBackend.INSTANCE);
        t.changeSettings(t.config().with("steps", 4));
        new TrainingRun(t, TEST, checkpoint.getParent(), silent()).resumedAfter(wallSeconds).run();
        return Files.readAllLines(checkpoint.resolveSibling("metrics.csv"));
    }

    private static double wallSeconds(String row) {
        return Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
    }

    @Test
    void aResumeAfterAKillLogsEachStepOnceAndContinuesTheCheckpointsWallClock(@TempDir Path dir) throws Exception {
        Path checkpoint = killedAfterStepTwo(dir);
        Checkpoint.save(checkpoint, Checkpoint.resume(checkpoint, TRAIN, CpuBackend.INSTANCE), 500);
        List<String> rows = resumeToStepFour(checkpoint, Checkpoint.wallSeconds(checkpoint));

        assertEquals(List.of("1", "2", "3", "4"), rows.subList(1, rows.size()).stream().map(r -> r.split(",")[0]).toList());
        assertTrue(wallSeconds(rows.get(3)) >= 500 && wallSeconds(rows.get(3)) < 1000, rows.get(3));
        // wall_s is written to 0.1 s.
        assertTrue(Checkpoint.wallSeconds(checkpoint).orElseThrow() >= wallSeconds(rows.get(4)) - 0.05, "the checkpoint keeps the clock");
    }

    @Test
    void aCheckpointWithoutItsWallClockContinuesFromTheLastRowKept(@TempDir Path dir) throws Exception {
        List<String> rows = resumeToStepFour(killedAfterStepTwo(dir), OptionalDouble.empty());
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(wallSeconds(rows.get(3)) >= 1000, rows.get(3));
    }

    @Test
    void divergenceRollsBackToTheCheckpointWithASmallerLearningRateThenGivesUp(@TempDir Path dir) throws Exception {
        TrainConfig c = tinyConfig("cebm");
        c = c.with("steps", 2);
        Trainer t = trainer(c);
        new TrainingRun(t, TEST, dir, silent()).run();
        float lr = t.pace().learningRate();

        // Provoke divergence: from now on every loss exceeds the bound.
        c = c.with("steps", 4);
        c = c.with("lossBound", 1e-12);
        c = c.with("maxRollbacks", 2);
        c = c.with("rollbackLrFactor", 0.5f);
        c = c.with("rollbackExtraSgldSteps", 1);
        t.changeSettings(c);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(console), true, 2, 4);
        TrainingRun run = new TrainingRun(t, TEST, dir, progress);
        TrainingRun.DivergedException e = assertThrows(TrainingRun.DivergedException.class, run::run);

        assertTrue(e.getMessage().contains("gave up after 2 rollbacks"), e.getMessage());
        assertEquals(2, run.rollbacks());
        assertEquals(2, t.stepCount(), "rolled back to the checkpoint of step 2");
        assertEquals(lr * 0.25f, t.pace().learningRate(), 1e-9);
        assertEquals(c.sgldSteps() + 2, t.pace().sgldSteps());
        String log = console.toString();
        assertTrue(log.contains("rolled back to step 2") && log.contains("rollback 2 of 2"), log);
    }

    @Test
    void aRollbackRetriesWithFreshRandomNumbers(@TempDir Path dir) throws Exception {
        TrainConfig c = tinyConfig("cebm");
        c = c.with("steps", 4);
        c = c.with("maxRollbacks", 2);
        c = c.with("rollbackExtraSgldSteps", 0);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainingRun run = new TrainingRun(trainer(c), TEST, dir, new Progress(new PrintStream(console), true, 0, 4))
                .withProbe(probeThatDivergesAfter(2));
        assertThrows(TrainingRun.DivergedException.class, run::run);
        // The loss of step 3 comes before its update, so only other draws (data, chains, noise) change it.
        List<String> losses = console.toString().lines().filter(l -> l.contains("diverged at step 3"))
                .map(l -> l.substring(l.indexOf("(loss"), l.indexOf(','))).toList();
        assertEquals(2, losses.size(), console.toString());
        assertEquals(2, losses.stream().distinct().count(), "each retry draws afresh: " + losses);
    }

    /** The steps after the last good state are abandoned, and so are their rows: no step is logged twice. */
    @Test
    void aRollbackDropsTheRowsOfTheAbandonedSteps(@TempDir Path dir) throws Exception {
        TrainConfig c = tinyConfig("cebm");
        c = c.with("steps", 6);
        c = c.with("maxRollbacks", 1);
        TrainingRun run = new TrainingRun(trainer(c), TEST, dir, silent()).withProbe(probeThatDivergesAfter(3));
        assertThrows(TrainingRun.DivergedException.class, run::run);
        for (String csv : List.of(TrainingRun.METRICS_CSV, TrainingRun.PROBE_CSV)) {
            List<String> rows = Files.readAllLines(dir.resolve(csv));
            assertEquals(List.of("1", "2"), rows.subList(1, rows.size()).stream().map(r -> r.split(",")[0]).toList(),
                    csv + ": the rows up to the checkpoint of step 2");
        }
    }

    @Test
    void anEnergyFarBeyondTheRunsOwnScaleIsDivergence() {
        TrainConfig c = tinyConfig("cebm");
        Trainer t = trainer(c);
        assertTrue(t.step().applied(), "the first step sets the scale");
        double scale = t.energyScale();
        assertTrue(scale > 0 && scale < 1, "the quick model's energies start small: " + scale);
        Trainer.StepResult r = t.step();
        assertTrue(r.applied());
        assertEquals(0.99 * scale + 0.01 * Math.max(Math.abs(r.energyData()), Math.abs(r.energyModel())), t.energyScale(), 1e-12);

        // Weights many times larger give finite energies far beyond the scale (below 1, so the bound is the factor, 100).
        for (var e : t.model().parameters().asMap().entrySet()) {
            float[] values = e.getValue().value().toArray();
            for (int i = 0; i < values.length; i++) values[i] *= 30;
            t.model().parameters().load(e.getKey(), values);
        }
        Trainer.StepResult refused = t.step();
        assertFalse(refused.applied(), "energies " + refused.energyData() + ", " + refused.energyModel());
        assertTrue(Double.isFinite(refused.energyData()) && Double.isFinite(refused.energyModel()) && Math.abs(refused.loss()) < c.lossBound(),
                "refused by the scale rule alone: " + refused);
        assertEquals(2, t.stepCount());
        t.changeSettings(c.with("divergenceFactor", 1e30));
        assertTrue(t.step().applied(), "the same weights within a factor far above their energies");
    }

    /** A probe that measures the step count and, at step {@code divergeAfter}, makes every later step diverge. */
    private static Probe probeThatDivergesAfter(int divergeAfter) {
        return new Probe() {
            public List<String> columns() {
                return List.of("steps");
            }

            public double[] measure(Trainer trainer) {
                if (trainer.stepCount() == divergeAfter) trainer.changeSettings(trainer.config().with("lossBound", 1e-12));
                return new double[] {trainer.stepCount() / 100.0};
            }

            public String summary(double[] values) {
                return "";
            }
        };
    }

    @Test
    void checkpointsComeByElapsedTimeAsWellAsBySteps(@TempDir Path dir) throws Exception {
        for (double minutes : new double[] {0, 1e-9}) {
            TrainConfig c = tinyConfig("cebm");
            c = c.with("steps", 4);
            c = c.with("checkpointEvery", 1000);
            c = c.with("checkpointMinutes", minutes);
            c = c.with("probeEvery", 1);
            c = c.with("maxRollbacks", 0);
            Path folder = dir.resolve("minutes-" + minutes);
            TrainingRun run = new TrainingRun(trainer(c), TEST, folder, silent()).withProbe(probeThatDivergesAfter(3));
            assertThrows(TrainingRun.DivergedException.class, run::run);
            // By steps alone the last good state is the start; with a checkpoint each (tiny) interval it is step 3.
            assertEquals(minutes > 0 ? 3 : 0, Checkpoint.step(folder.resolve(TrainingRun.CHECKPOINT)), "minutes " + minutes);
        }
    }

    @Test
    void aResumeAfterAKillKeepsEachProbeRowOnce(@TempDir Path dir) throws Exception {
        Path checkpoint = killedAfterStepTwo(dir);
        Path probeCsv = dir.resolve(TrainingRun.PROBE_CSV);
        Files.write(probeCsv, List.of("step,steps", "1,0.0100", "2,0.0200", "3,0.0300", "4,0.0"));
        Trainer t = Checkpoint.resume(checkpoint, TRAIN, CpuBackend.INSTANCE);
        t.changeSettings(t.config().with("steps", 4).with("probeEvery", 1));
        new TrainingRun(t, TEST, dir, silent()).withProbe(probeThatDivergesAfter(-1)).run();
        assertEquals(List.of("step,steps", "1,0.0100", "2,0.0200", "3,0.0300", "4,0.0400"), Files.readAllLines(probeCsv));
    }
}