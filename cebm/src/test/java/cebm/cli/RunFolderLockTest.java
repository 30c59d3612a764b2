package cebm.cli;

import cebm.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static cebm.cli.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A second trainer is kept out of a run folder that another training process writes, and let in once it has ended. */
class RunFolderLockTest {
    private static final String[] SMALL = {"--quiet", "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20", "--sample-steps", "1"};

    @Test
    void aSecondTrainerIsRefusedWhileTheFirstWritesAndResumesAfterIt(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        ProcessBuilder b = RelaunchTest.launcher(concat(SMALL, "train", "--steps", "100000", "--checkpoint-every", "100000",
                "--out", run.toString()));
        b.environment().put("CEBM_NO_RELAUNCH", "1");
        Process first = b.redirectErrorStream(true).redirectOutput(dir.resolve("first.txt").toFile()).start();
        try {
            for (int i = 0; i < 600 && !Files.exists(run.resolve("checkpoint.safetensors")); i++) Thread.sleep(100);
            assertTrue(Files.exists(run.resolve("checkpoint.safetensors")), "the first trainer started");
            String held = "is being written by another training process (pid " + first.pid() + ")";
            assertUsageError(run.toAbsolutePath() + " " + held, "train", "--resume", run.toString(), "--steps", "1");
            assertUsageError(run + " " + held, "train", "--quiet", "--out", run.toString());
        } finally {
            first.destroyForcibly();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, Main.execute(concat(SMALL, "train", "--resume", run.toString(), "--steps", "2")));
        assertEquals(2, Checkpoint.step(run.resolve("checkpoint.safetensors")));
    }

    private static String[] concat(String[] options, String... args) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(options)).toArray(String[]::new);
    }
}
