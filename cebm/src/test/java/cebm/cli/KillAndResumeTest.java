package cebm.cli;

import cebm.data.SampleFiles;
import cebm.io.Dtype;
import cebm.io.Safetensors;
import cebm.io.SafetensorsFile;
import cebm.io.TensorEntry;
import cebm.train.Checkpoint;
import cebm.train.RunLock;
import cebm.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * A training run killed outright ({@code kill -9}) again and again, at random moments and while its checkpoint
 * and its pictures are half-written, and resumed after each kill, ends as the run that was never interrupted:
 * the same checkpoint tensor for tensor, bit for bit (its metadata the same but for the wall clock), each
 * metrics row once and in order, the same pictures and probe, no temporary file left, and the folder unlocked.
 * The trainer runs in a JVM of its own, so that each kill is the operating system's SIGKILL, which the trainer
 * cannot see coming: no shutdown hook, no finally block.
 */
class KillAndResumeTest {
    /** Fixes the moments of the kills; another seed kills elsewhere, and must pass as well. */
    private static final long SEED = 20261206;
    private static final int STEPS = 15;
    /**
     * A run of a few seconds on a few MNIST-shaped images: a metrics row and a checkpoint every step, pictures
     * every 3 steps, the probe every 6; no checkpoint by the clock, so that both runs checkpoint alike.
     */
    private static final List<String> TRAIN = List.of("--quiet", "--steps", Integer.toString(STEPS), "--batch", "4",
            "--sgld-steps", "1", "--buffer-size", "20", "--sample-steps", "1", "--log-every", "1", "--checkpoint-every", "1",
            "--checkpoint-minutes", "0", "--sample-every", "3", "--probe-every", "6");
    /** The metrics columns that time the run rather than describe it: steps_per_s and wall_s, the last two. */
    private static final int TIMING_COLUMNS = 2;

    @TempDir
    Path dir;
    private int trainers;

    /** Something the test waits for while a trainer runs; checked every millisecond. */
    @FunctionalInterface
    private interface Moment {
        boolean reached() throws IOException;
    }

    @Test
    void runsKilledAtRandomAndResumedEndAsTheUninterruptedRun() throws Exception {
        Path data = dir.resolve("data");
        SampleFiles.writeMnist(data, 100, 20);
        List<String> newRun = new ArrayList<>(List.of("train", "--data", "mnist", "--data-dir", data.toString()));
        newRun.addAll(TRAIN);

        Path reference = dir.resolve("reference");
        Process uninterrupted = start(newRun, "--out", reference.toString());
        assertEquals(0, exitCode(uninterrupted), () -> log(1));

        Path run = dir.resolve("killed"), samples = run.resolve("samples");
        List<String> resume = List.of("train", "--quiet", "--resume", run.toString());
        String checkpointTemporary = "." + TrainingRun.CHECKPOINT + ".";
        Random random = new Random(SEED);

        // Killed while writing its 2nd or 3rd checkpoint (the 1st, step 0's, would leave no checkpoint to resume
        // from), then again while writing one until a kill has cut a write short rather than landed just after it.
        killWhen(start(newRun, "--out", run.toString()), nthTemporaryFile(run, checkpointTemporary, 2 + random.nextInt(2)));
        for (int kills = 1; !hasTemporaryFile(run, checkpointTemporary); kills++) {
            assertTrue(kills < 3, "3 kills in a row missed the checkpoint writes they were aimed at");
            killWhen(start(resume), nthTemporaryFile(run, checkpointTemporary, 1 + random.nextInt(2)));
        }
        // Killed at a random moment of its start (the lock, the leftovers, metrics.csv cut back, the data) or first steps.
        killWhen(start(resume), later(() -> true, random.nextInt(1500)));
        // Killed while writing a picture.
        killWhen(start(resume), nthTemporaryFile(samples, ".", 1));
        // Killed at a random moment of a step: its pictures, probe or checkpoint, or the next step's training.
        int lastLogged = loggedSteps(run).stream().max(Integer::compare).orElse(0);
        killWhen(start(resume), later(() -> loggedSteps(run).contains(lastLogged + 1), random.nextInt(200)));
        // Killed just after writing the last checkpoint; the resume then has nothing left to do.
        killWhen(start(resume), checkpointAt(run, STEPS));
        assertEquals(0, exitCode(start(resume)), () -> log(trainers));

        assertEquals(List.of(), temporaryFiles(run), "temporary files left in the run folder");
        assertUnlocked(run);
        assertSameCheckpoint(reference.resolve(TrainingRun.CHECKPOINT), run.resolve(TrainingRun.CHECKPOINT));
        assertSameMetrics(reference.resolve(TrainingRun.METRICS_CSV), run.resolve(TrainingRun.METRICS_CSV));
        assertEquals(filesWithoutTimes(reference), filesWithoutTimes(run), "the run folder's other files");
    }

    /** Starts {@code cebm} with {@code args} (and {@code more}) in a JVM of its own; its output goes to trainer-N.txt. */
    private Process start(List<String> args, String... more) throws IOException {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        ProcessBuilder b = RelaunchTest.launcher(all.toArray(String[]::new));
        // The JVM that java -jar relaunches into, started directly, so that a kill hits the trainer itself.
        b.command().add(1, "--add-modules=" + VectorModule.MODULE);
        b.environment().put("CEBM_NO_RELAUNCH", "1");
        trainers++;
        b.redirectErrorStream(true).redirectOutput(dir.resolve("trainer-" + trainers + ".txt").toFile());
        try {
            return b.start();
        } catch (IOException e) {
            if (trainers == 1) abort("cannot start a JVM for the trainer: " + e.getMessage());
            throw e;
        }
    }

    private int exitCode(Process trainer) throws InterruptedException {
        if (!trainer.waitFor(120, TimeUnit.SECONDS)) {
            trainer.destroyForcibly();
            fail("trainer " + trainers + " did not finish in 2 minutes\n" + log(trainers));
        }
        return trainer.exitValue();
    }

    private String log(int trainer) {
        try {
            return Files.readString(dir.resolve("trainer-" + trainer + ".txt"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Kills {@code trainer} outright (SIGKILL) at {@code moment}; fails if it ended on its own before. */
    private void killWhen(Process trainer, Moment moment) throws Exception {
        while (!moment.reached()) {
            if (!trainer.isAlive()) {
                fail("trainer " + trainers + " ended (exit " + trainer.exitValue() + ") before it was to be killed\n" + log(trainers));
            }
            Thread.sleep(1);
        }
        trainer.destroyForcibly();
        assertTrue(trainer.waitFor(30, TimeUnit.SECONDS), "trainer " + trainers + " was killed");
    }

    /** {@code milliseconds} after {@code first} is reached. */
    private static Moment later(Moment first, int milliseconds) {
        long[] end = {Long.MAX_VALUE};
        return () -> {
            if (end[0] == Long.MAX_VALUE && first.reached()) end[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(milliseconds);
            return System.nanoTime() >= end[0];
        };
    }

    /** When the {@code nth} temporary file whose name starts with {@code prefix} has appeared in {@code folder}. */
    private static Moment nthTemporaryFile(Path folder, String prefix, int nth) {
        Set<String> seen = new HashSet<>();
        return () -> {
            if (!Files.isDirectory(folder)) return false;
            try (Stream<Path> files = Files.list(folder)) {
                files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(prefix) && name.endsWith(".tmp")).forEach(seen::add);
            }
            return seen.size() >= nth;
        };
    }

    /** When the run's checkpoint is at {@code step}; read again only when the file has been replaced. */
    private static Moment checkpointAt(Path run, int step) {
        Path checkpoint = run.resolve(TrainingRun.CHECKPOINT);
        Object[] readKey = {null};
        return () -> {
            Object key = Files.readAttributes(checkpoint, BasicFileAttributes.class).fileKey();
            if (key.equals(readKey[0])) return false;
            readKey[0] = key;
            return Checkpoint.step(checkpoint) == step;
        };
    }

    /** Whether a killed write left a temporary file whose name starts with {@code prefix} in {@code folder}. */
    private static boolean hasTemporaryFile(Path folder, String prefix) throws IOException {
        return nthTemporaryFile(folder, prefix, 1).reached();
    }

    /** The temporary files of atomic writes anywhere under {@code folder}, relative to it. */
    private static List<String> temporaryFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).map(f -> folder.relativize(f).toString()).sorted().toList();
        }
    }

    /** The steps of metrics.csv's rows, in file order (a row torn by a kill counts too). */
    private static List<Integer> loggedSteps(Path run) throws IOException {
        Path metrics = run.resolve(TrainingRun.METRICS_CSV);
        if (!Files.exists(metrics)) return List.of();
        return Files.readAllLines(metrics).stream().skip(1).map(row -> Integer.parseInt(row.split(",")[0])).toList();
    }

    /** No trainer holds the folder any more: this process can lock it (acquire throws where another holds it). */
    private static void assertUnlocked(Path run) throws IOException {
        RunLock.acquire(run).close();
    }

    /** The same tensors, bit for bit, and the same metadata but for the seconds trained. */
    private static void assertSameCheckpoint(Path expected, Path actual) throws IOException {
        SafetensorsFile e = Safetensors.read(expected), a = Safetensors.read(actual);
        assertEquals(e.tensors().keySet(), a.tensors().keySet(), "the checkpoint's tensors");
        for (Map.Entry<String, TensorEntry> entry : e.tensors().entrySet()) {
            TensorEntry want = entry.getValue(), got = a.tensor(entry.getKey());
            assertEquals(want.dtype(), got.dtype(), entry.getKey());
            assertArrayEquals(want.shape(), got.shape(), entry.getKey());
            if (want.dtype() == Dtype.F32) {
                assertArrayEquals(want.floats(), got.floats(), entry.getKey());
            } else {
                assertArrayEquals(want.longs(), got.longs(), entry.getKey());
            }
        }
        SortedMap<String, String> wantMetadata = new TreeMap<>(e.metadata()), gotMetadata = new TreeMap<>(a.metadata());
        wantMetadata.remove("wall_s");
        gotMetadata.remove("wall_s");
        assertEquals(wantMetadata, gotMetadata, "the checkpoint's metadata");
    }

    /** One row per step, in order, each as the uninterrupted run logged it but for its timings. */
    private static void assertSameMetrics(Path expected, Path actual) throws IOException {
        List<String> want = withoutTimings(Files.readAllLines(expected)), got = withoutTimings(Files.readAllLines(actual));
        assertEquals(STEPS + 1, want.size(), "the uninterrupted run logged a row per step");
        assertEquals(want, got, "metrics.csv");
    }

    private static List<String> withoutTimings(List<String> rows) {
        return rows.stream().map(row -> {
            String[] columns = row.split(",");
            return String.join(",", List.of(columns).subList(0, columns.length - TIMING_COLUMNS));
        }).toList();
    }

    /**
     * Every file of a run folder but those that hold times or a process id (checkpoint and metrics, compared
     * above; .lock), by path and digest of content: config.json, the pictures, probe.csv, the plots.
     */
    private static Map<String, String> filesWithoutTimes(Path run) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Set<String> timed = Set.of(TrainingRun.CHECKPOINT, TrainingRun.METRICS_CSV, ".lock");
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(run)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = run.relativize(f).toString();
                if (!timed.contains(name)) files.put(name, HexFormat.of().formatHex(sha256.digest(Files.readAllBytes(f))));
            }
        }
        return files;
    }
}
