package cebm.cli;

import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CommandLineTest {
    /** Runs the command line, capturing stderr; returns {exit code, stderr}. */
    static Object[] run(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured));
        try {
            int code = Main.execute(args);
            return new Object[] {code, captured.toString()};
        } finally {
            System.setErr(err);
        }
    }

    /** Runs a command that must succeed and returns what it printed on stdout. */
    static String stdoutOf(String... args) {
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

    /** Trains a tiny {@code model} for 2 steps on the embedded data into {@code run}, for the commands that read a model. */
    static Path tinyRun(Path run, String model) {
        int code = Main.execute("train", "--quiet", "--model", model, "--components", "3", "--steps", "2",
                "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20", "--sample-steps", "1", "--out", run.toString());
        assertEquals(0, code, "training " + model);
        return run;
    }

    static void assertUsageError(String expectedInMessage, String... args) {
        Object[] r = run(args);
        String err = (String) r[1];
        assertEquals(Main.USAGE_ERROR, r[0], err);
        assertTrue(err.contains(expectedInMessage), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }

    @Test
    void badFlagsAreReportedInOneLineWithExitCode2(@TempDir Path dir) {
        String out = dir.resolve("run").toString();
        assertUsageError("--bogus", "train", "--bogus", "--out", out);
        assertUsageError("--steps must be > 0", "train", "--steps", "-5", "--out", out);
        assertUsageError("--reuse must be in [0, 1]", "train", "--reuse", "1.5", "--out", out);
        assertUsageError("--sgld-steps must be ≥ 0", "train", "--sgld-steps", "-1", "--out", out);
        assertUsageError("unknown preset", "train", "--preset", "fast", "--out", out);
        assertUsageError("tpu: not available in this build", "train", "--device", "tpu", "--out", out);
        assertFalse(Files.exists(dir.resolve("run")), "no run folder is written for a bad command");
    }

    /** The CUDA backend's answer here: usable, or the one line that says why not. */
    static BackendProvider.Availability cuda() {
        return Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst().orElseThrow().availability();
    }

    @Test
    void cudaWithoutAGpuExits2WithTheProbesReasonAndWritesNoRun(@TempDir Path dir) {
        BackendProvider.Availability cuda = cuda();
        assumeFalse(cuda.usable(), "a GPU is here: " + cuda.summary());
        assertTrue(cuda.summary().startsWith("cuda: ") && cuda.summary().endsWith("; use --device cpu"), cuda.summary());
        Path run = dir.resolve("run");
        String folder = run.toString();
        String[][] commands = {{"train", "--device", "cuda", "--out", folder}, {"sample", "--device", "cuda", "--checkpoint", folder}};
        for (String[] args : commands) {
            Object[] r = run(args);
            assertEquals(Main.USAGE_ERROR, r[0], (String) r[1]);
            assertEquals("cebm " + args[0] + ": " + cuda.summary(), ((String) r[1]).strip(), "one line, no stack trace");
        }
        assertFalse(Files.exists(run), "no run folder is written");
    }

    @Test
    void infoPrintsEveryBackendWithTheProbesLines() {
        String printed = stdoutOf("info");
        BackendProvider.Availability cuda = cuda();
        assertTrue(printed.contains("backends  cpu: available"), printed);
        assertTrue(printed.contains("          " + cuda.summary()), printed);
        for (String detail : cuda.details()) assertTrue(printed.contains(detail), printed);
    }

    /** {@code train --help} shows every preset's values as the presets set them, and cites nothing a user lacks. */
    @Test
    void trainHelpShowsEachPresetsValues() {
        String help = stdoutOf("train", "--help");
        for (String preset : cebm.train.TrainConfig.PRESETS) {
            cebm.train.TrainConfig c = cebm.train.TrainConfig.preset(preset);
            java.util.List<String> lines = help.lines().toList();
            int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("  " + preset + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(preset + " missing: " + help)));
            assertTrue(lines.get(at).contains(c.data() + ", " + c.model() + " " + c.arch() + ", batch " + c.batch() + ","), lines.get(at));
            assertTrue(lines.get(at + 1).contains("lr " + c.lr() + ", gamma " + c.gamma() + ","), lines.get(at + 1));
        }
        assertTrue(help.contains("60 SGLD steps of step 1.0 and noise 0.0075"), help);
        assertFalse(help.contains("spec"), "the help cites no document a user does not have");
    }

    @Test
    void anUnknownCommandIsOneLineThatListsTheCommands() {
        Object[] r = run("foo");
        assertEquals(Main.USAGE_ERROR, r[0]);
        assertEquals("cebm: unknown command 'foo'; the commands are " + String.join(", ", commands().keySet()), ((String) r[1]).strip());
        assertTrue(((String) run("train", "--bogus")[1]).startsWith("cebm train: Unknown option: '--bogus'"), "the command once");
    }

    private static java.util.Map<String, picocli.CommandLine> commands() {
        return new picocli.CommandLine(new Main()).getSubcommands();
    }

    @Test
    void everyCommandPrintsTheVersionLine() {
        String version = stdoutOf("-V");
        assertTrue(version.startsWith("cebm "), version);
        for (String command : commands().keySet()) assertEquals(version, stdoutOf(command, "-V"), command);
    }

    /** Each command's line in the top-level help is the whole first line of its description: nothing wrapped or cut off. */
    @Test
    void theTopLevelHelpShowsWholeSentences() {
        String help = stdoutOf("--help");
        for (String line : help.lines().toList()) {
            if (!line.startsWith("Usage: ") && !line.equals("Commands:")) assertTrue(line.endsWith("."), "a whole sentence: " + line);
        }
        commands().forEach((name, command) -> {
            String summary = command.getCommandSpec().usageMessage().description()[0];
            assertTrue(help.lines().anyMatch(line -> line.matches("  " + name + " +" + java.util.regex.Pattern.quote(summary))),
                    name + ": " + summary + "\n" + help);
        });
    }

    @Test
    void missingDataFilesNameTheFileAndWriteNoRun(@TempDir Path dir) {
        assertUsageError("train-images-idx3-ubyte", "train", "--data", "mnist", "--data-dir", dir.resolve("nowhere").toString(),
                "--out", dir.resolve("run").toString());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void missingCheckpointIsAUsageError(@TempDir Path dir) {
        assertUsageError("no checkpoint", "sample", "--checkpoint", dir.resolve("none").toString());
    }

    @Test
    void trainSampleAndEncodeWorkEndToEnd(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        int code = Main.execute("train", "--quiet", "--steps", "2", "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20",
                "--sample-steps", "1", "--out", runDir.toString());
        assertEquals(0, code);
        assertTrue(Files.exists(runDir.resolve("checkpoint.safetensors")));
        Path png = dir.resolve("s.png");
        assertEquals(0, Main.execute("sample", "--checkpoint", runDir.toString(), "--steps", "2", "--count", "4", "--out", png.toString()));
        assertTrue(Files.size(png) > 0);
        Path csv = dir.resolve("z.csv");
        assertEquals(0, Main.execute("encode", "--checkpoint", runDir.toString(), "--out", csv.toString()));
        var lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("index,label,energy,z0,"));
        assertEquals(2001, lines.size(), "header + the 2000 images of the synthetic test split");
        assertEquals(0, Main.execute("info"));

        // The parameters alone: far smaller than the checkpoint, the same model, step and configuration.
        Path exported = dir.resolve("model.safetensors"), checkpoint = runDir.resolve("checkpoint.safetensors");
        assertEquals(0, Main.execute("export", "--checkpoint", runDir.toString(), "--out", exported.toString()));
        assertTrue(Files.size(exported) * 3 < Files.size(checkpoint), Files.size(exported) + " vs " + Files.size(checkpoint));
        assertEquals(cebm.train.Checkpoint.step(checkpoint), cebm.train.Checkpoint.step(exported));
        var trained = cebm.train.Checkpoint.loadModel(checkpoint).parameters().asMap();
        var loaded = cebm.train.Checkpoint.loadModel(exported).parameters().asMap();
        assertEquals(trained.keySet(), loaded.keySet());
        for (String name : trained.keySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(trained.get(name).value().toArray(), loaded.get(name).value().toArray(), name);
        }
        Path csv2 = dir.resolve("z2.csv");
        assertEquals(0, Main.execute("encode", "--checkpoint", exported.toString(), "--out", csv2.toString()));
        assertEquals(lines, Files.readAllLines(csv2), "encode reads the exported file like the checkpoint");
    }
}
