package cebm.cli;

import cebm.data.SampleFiles;
import cebm.train.Checkpoint;
import cebm.train.TrainConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static cebm.cli.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `train --resume` extends a run: a new step target and changed settings, named; the run's own settings refused. */
class ResumeTest {
    @TempDir
    Path dir;
    private Path run;

    @BeforeEach
    void trainTwoSteps() {
        run = dir.resolve("run");
        assertEquals(0, Main.execute("train", "--quiet", "--steps", "2", "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20",
                "--sample-steps", "1", "--checkpoint-every", "1", "--out", run.toString()));
    }

    private static String stdout(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured));
        try {
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(out);
        }
        return captured.toString();
    }

    @Test
    void stepsRaiseTheTargetAndEveryChangeIsNamed() throws Exception {
        String printed = stdout("train", "--quiet", "--resume", run.toString(), "--steps", "4", "--lr", "0.001", "--sgld-steps", "3");
        assertTrue(printed.contains("changed: --steps 2 -> 4, --lr 2.0E-4 -> 0.001, --sgld-steps 2 -> 3\n"), printed);
        Path checkpoint = run.resolve("checkpoint.safetensors");
        assertEquals(4, Checkpoint.step(checkpoint));
        TrainConfig c = Checkpoint.config(checkpoint);
        assertEquals(4, c.steps());
        assertEquals(0.001f, c.lr());
        assertEquals(3, c.sgldSteps());
        var state = cebm.io.Safetensors.read(checkpoint);
        assertEquals(0.001f, state.tensor("state.lr").floats()[0], "the new learning rate replaces the checkpoint's");
        assertEquals(3, state.tensor("state.sgld_steps").longs()[0]);
    }

    @Test
    void theRunsOwnSettingsAreRefusedInOneLineAndNothingChanges() throws Exception {
        byte[] before = Files.readAllBytes(run.resolve("checkpoint.safetensors"));
        assertUsageError("a resumed run keeps its --batch (the run has 4), --seed (the run has 0)",
                "train", "--resume", run.toString(), "--batch", "8", "--seed", "3");
        assertUsageError("keeps its --preset (the run has quick)", "train", "--resume", run.toString(), "--preset", "code-mnist");
        assertUsageError("--steps 1 is below the run's step 2", "train", "--resume", run.toString(), "--steps", "1");
        assertUsageError("--out is for new runs", "train", "--resume", run.toString(), "--out", dir.resolve("x").toString());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("checkpoint.safetensors")));
    }

    @Test
    void aResumeReadsTheRunsDataFolderAgainAndNamesTheOptionWhenItIsGone() throws Exception {
        Path data = dir.resolve("data");
        SampleFiles.writeMnist(data, 40, 20);
        Path mnistRun = dir.resolve("mnist-run");
        assertEquals(0, Main.execute("train", "--quiet", "--data", "mnist", "--data-dir", data.toString(), "--steps", "1", "--batch", "4",
                "--sgld-steps", "1", "--buffer-size", "20", "--sample-steps", "1", "--out", mnistRun.toString()));
        assertEquals(0, Main.execute("train", "--quiet", "--resume", mnistRun.toString(), "--steps", "2"));

        Path moved = Files.move(data, dir.resolve("moved"));
        assertUsageError("train-images-idx3-ubyte.gz: not found; looked for train-images-idx3-ubyte.gz or train-images-idx3-ubyte in directory "
                + data.toAbsolutePath() + "; give --data-dir", "train", "--resume", mnistRun.toString(), "--steps", "3");
        String printed = stdout("train", "--quiet", "--resume", mnistRun.toString(), "--steps", "3", "--data-dir", moved.toString());
        assertTrue(printed.contains("changed: --data-dir " + data.toAbsolutePath() + " -> " + moved.toAbsolutePath() + ", --steps 2 -> 3"),
                printed);
        assertEquals(3, Checkpoint.step(mnistRun.resolve("checkpoint.safetensors")));
    }

    @Test
    void optionNamesFollowTheFields() {
        assertEquals("--buffer-size", TrainConfig.option("bufferSize"));
        assertEquals("--rollback-extra-sgld-steps", TrainConfig.option("rollbackExtraSgldSteps"));
    }
}
