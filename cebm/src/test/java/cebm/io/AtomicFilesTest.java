package cebm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }

    @Test
    void writesTheBytesCreatingMissingDirectories() throws IOException {
        Path target = dir.resolve("a/b/out.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of(target), filesIn(target.getParent()), "no temporary file left behind");
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path target = Files.write(dir.resolve("out.txt"), "old".getBytes());
        AtomicFiles.write(target, out -> out.write("new".getBytes()));
        assertEquals("new", Files.readString(target));
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = Files.write(dir.resolve("checkpoint"), "good".getBytes());
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half-writ".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertEquals("good", Files.readString(target));
        assertEquals(List.of(target), filesIn(dir));
    }

    @Test
    void aFailureNamesTheTargetNotTheTemporaryFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("a-folder"));
        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}));
        assertEquals(target + ": Is a directory", failure.getMessage());
        assertEquals(List.of(target), filesIn(dir), "no temporary file left behind");
    }

    @Test
    void givesTheFileTheSamePermissionsAsAnOrdinaryWrite() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Path ordinary = Files.write(dir.resolve("ordinary"), new byte[1]);
        Path atomic = dir.resolve("atomic");
        AtomicFiles.write(atomic, new byte[1]);
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void leftoversOfKilledWritesAreRemovedAndNothingElse() throws IOException {
        Path target = dir.resolve("checkpoint.safetensors");
        Path[] temporary = new Path[1];
        AtomicFiles.write(target, out -> {
            try (Stream<Path> files = Files.list(dir)) {
                temporary[0] = files.filter(f -> !f.equals(target)).findFirst().orElseThrow();
            }
        });
        // What a kill in the middle of that write would have left, and files that only look alike.
        Files.write(temporary[0], new byte[] {1});
        List<Path> kept = List.of(target, Files.write(dir.resolve(".notes.tmp"), new byte[] {2}),
                Files.write(dir.resolve("checkpoint.safetensors.0b1c2d3e-0000-4000-8000-000000000000.tmp"), new byte[] {3}));

        AtomicFiles.removeLeftovers(dir);

        assertEquals(kept.stream().sorted().toList(), filesIn(dir).stream().sorted().toList());
    }
}
