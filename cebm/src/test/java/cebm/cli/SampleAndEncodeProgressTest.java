package cebm.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static cebm.cli.CommandLineTest.stdoutOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sample and encode take long on real models: they show progress as eval does (whole lines here, where there is no terminal). */
class SampleAndEncodeProgressTest {
    @TempDir
    static Path dir;
    private static String run;

    @BeforeAll
    static void train() {
        run = CommandLineTest.tinyRun(dir.resolve("run"), "cebm").toString();
    }

    @Test
    void sampleShowsItsSgldSteps() {
        String png = dir.resolve("s.png").toString();
        String shown = stdoutOf("sample", "--checkpoint", run, "--steps", "3", "--count", "2", "--out", png);
        assertTrue(shown.contains(" 1/3 ") && shown.contains(" 3/3 100%") && shown.contains("SGLD"), shown);
        assertFalse(stdoutOf("sample", "--quiet", "--checkpoint", run, "--steps", "3", "--count", "2", "--out", png).contains("3/3"));
    }

    @Test
    void encodeShowsBothPasses() {
        String csv = dir.resolve("z.csv").toString();
        // The 2000 test images are 8 chunks of 256: 8 for the latents, 8 for the energies.
        String shown = stdoutOf("encode", "--checkpoint", run, "--out", csv);
        assertTrue(shown.contains(" 1/16 ") && shown.contains("encoding synthetic-test"), shown);
        assertTrue(shown.contains(" 16/16 100%") && shown.contains("energies of synthetic-test"), shown);
        assertFalse(stdoutOf("encode", "--quiet", "--checkpoint", run, "--out", csv).contains("16/16"));
    }
}
