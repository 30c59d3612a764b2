package cebm.cli;

import cebm.io.Graphviz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static cebm.cli.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyAndGraphCommandTest {
    /** Runs the command line, capturing stdout; returns it. */
    private static String stdout(int expectedCode, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured));
        try {
            assertEquals(expectedCode, Main.execute(args));
        } finally {
            System.setOut(out);
        }
        return captured.toString();
    }

    @Test
    void toyUsageErrorsAreOneLineWithExitCode2(@TempDir Path dir) {
        String out = dir.resolve("toy").toString();
        assertUsageError("unknown data set 'spirals'", "toy", "--dataset", "spirals", "--out", out);
        assertUsageError("--steps must be > 0", "toy", "--steps", "0", "--out", out);
        assertUsageError("--latent must be ≥ 2", "toy", "--latent", "1", "--out", out);
        assertUsageError("--gamma must be ≥ 0", "toy", "--gamma", "-1", "--out", out);
        assertUsageError("--sgld-step must be > 0", "toy", "--sgld-step", "0", "--out", out);
        assertUsageError("--bogus", "toy", "--bogus");
        assertFalse(Files.exists(dir.resolve("toy")), "nothing is written for a bad command");
    }

    @Test
    void toyTrainsAndWritesItsPictures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("toy");
        String printed = stdout(0, "toy", "--dataset", "two-rings", "--steps", "5", "--latent", "3", "--quiet", "--out", out.toString());
        assertTrue(printed.contains("done: 5 steps"), printed);
        for (String file : new String[] {"energy.png", "samples.png", "latent.png"}) assertTrue(Files.size(out.resolve(file)) > 0, file);
        assertFalse(Files.exists(out.resolve("training.gif")), "the GIF only with --gif");
    }

    @Test
    void graphWritesTheDotOfOneEnergyEvaluationAndRendersItWhenGraphvizIsThere(@TempDir Path dir) throws Exception {
        Path dot = dir.resolve("energy.dot");
        String printed = stdout(0, "graph", "--out", dot.toString());
        String text = Files.readString(dot);
        for (String expected : new String[] {"Conv2dSwish", "LogNormalizer", "Linear", "x\\n[2, 1, 8, 8] parameter\\n|grad|",
                "conv0.weight\\n[4, 1, 3, 3] parameter", "E(x)\\n[2]"}) {
            assertTrue(text.contains(expected), "missing " + expected + " in\n" + text);
        }
        boolean graphviz = new Graphviz("dot").available();
        assertEquals(graphviz, Files.exists(dir.resolve("energy.svg")), printed);
        assertEquals(graphviz, Files.exists(dir.resolve("energy.png")), printed);
    }

    @Test
    void graphWithoutGraphvizWritesTheDotAndSaysHowToDrawIt(@TempDir Path dir) throws Exception {
        Path dot = dir.resolve("g.dot");
        String printed = stdout(0, "graph", "--model", "gmm-cebm", "--network", "mlp", "--out", dot.toString(),
                "--dot", dir.resolve("no-such-dot").toString());
        assertTrue(Files.readString(dot).contains("MixtureLogNormalizer"));
        assertTrue(printed.contains("dot -Tsvg " + dot + " -o " + dir.resolve("g.svg")), printed);
        assertFalse(Files.exists(dir.resolve("g.svg")));
        assertUsageError("--network must be conv or mlp", "graph", "--network", "rnn", "--out", dot.toString());
    }
}
