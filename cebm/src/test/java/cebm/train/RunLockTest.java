package cebm.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One training process at a time in a run folder; the lock is taken again once released. */
class RunLockTest {
    @TempDir
    Path dir;

    @Test
    void aHeldFolderIsRefusedWithTheHoldersPidUntilReleased() throws IOException {
        Path run = dir.resolve("run");
        try (RunLock held = RunLock.acquire(run)) {
            IOException refused = assertThrows(IOException.class, () -> RunLock.acquire(run));
            assertEquals(run + " is being written by another training process (pid " + ProcessHandle.current().pid() + ")",
                    refused.getMessage());
        }
        RunLock.acquire(run).close();
    }

    @Test
    void takingTheFolderRemovesTheTemporaryFilesOfKilledWrites() throws IOException {
        Path leftover = Files.write(dir.resolve(".checkpoint.safetensors.0b1c2d3e-0000-4000-8000-000000000000.tmp"), new byte[] {1});
        Path metrics = Files.write(dir.resolve("metrics.csv"), new byte[] {2});
        Path picture = Files.write(Files.createDirectories(dir.resolve(TrainingRun.SAMPLES))
                .resolve(".buffer-000100.png.0b1c2d3e-0000-4000-8000-000000000000.tmp"), new byte[] {3});
        RunLock.acquire(dir).close();
        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(picture));
        assertTrue(Files.exists(metrics));
    }
}
