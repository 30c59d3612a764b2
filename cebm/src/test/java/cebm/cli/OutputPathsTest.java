package cebm.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static cebm.cli.CommandLineTest.assertUsageError;

/** Every command that writes checks where, before any work: a bad path fails at once, in one line that says why. */
class OutputPathsTest {
    @TempDir
    static Path dir;
    private static String run, file, folder;

    @BeforeAll
    static void setUp() throws Exception {
        run = CommandLineTest.tinyRun(dir.resolve("run"), "cebm").toString();
        file = Files.writeString(dir.resolve("a-file"), "kept").toString();
        folder = Files.createDirectories(dir.resolve("a-folder")).toString();
    }

    @Test
    void aFileWhereAFolderIsWanted() {
        // Data that is not there: the path is checked first, before the data is loaded.
        assertUsageError("cebm train: --out " + file + " is a file; give a folder for the run",
                "train", "--data", "mnist", "--data-dir", dir.resolve("nowhere").toString(), "--out", file);
        assertUsageError("cebm eval: --out " + file + " is a file; give a folder for the report", "eval", "--checkpoint", run, "--out", file);
        assertUsageError("cebm toy: --out " + file + " is a file; give a folder for the pictures", "toy", "--out", file);
    }

    @Test
    void aFolderWhereAFileIsWanted() {
        assertUsageError("cebm sample: --out " + folder + " is a folder; give a file name for the PNG", "sample", "--checkpoint", run, "--out", folder);
        assertUsageError("cebm encode: --out " + folder + " is a folder; give a file name for the CSV", "encode", "--checkpoint", run, "--out", folder);
        assertUsageError("cebm export: --out " + folder + " is a folder; give a file name for the parameters",
                "export", "--checkpoint", run, "--out", folder);
        assertUsageError("cebm graph: --out " + folder + " is a folder; give a file name for the DOT graph", "graph", "--out", folder);
    }

    @Test
    void aFileOnTheWay() {
        String inside = Path.of(file, "run").toString();
        assertUsageError("cebm train: --out " + inside + ": " + file + " is a file, not a folder", "train", "--out", inside);
        String png = Path.of(file, "samples.png").toString();
        assertUsageError("cebm sample: --out " + png + ": " + file + " is a file, not a folder", "sample", "--checkpoint", run, "--out", png);
    }
}
