package cebm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher that relaunched itself with the Vector API module does not leave that JVM running when it is
 * stopped, and passes on its error output without the JVM's warning about the incubator module.
 */
class RelaunchTest {
    @TempDir
    Path dir;

    /** A plain JVM (no module, no alignment), which relaunches itself, as {@code java -jar cebm.jar …} does. */
    static ProcessBuilder launcher(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().remove("CEBM_NO_RELAUNCH");
        return b;
    }

    /** A launcher training a long run, returned once the relaunched JVM has written the run's config. */
    private Process launcherTraining() throws Exception {
        ProcessBuilder b = launcher("train", "--quiet", "--steps", "100000", "--out", dir.resolve("run").toString());
        b.redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        Process launcher = b.start();
        Path config = dir.resolve("run").resolve("config.json");
        for (int i = 0; i < 600 && !Files.exists(config); i++) Thread.sleep(100);
        assertTrue(Files.exists(config), "the run started");
        return launcher;
    }

    @Test
    void stoppingTheLauncherStopsTheRelaunchedJvm() throws Exception {
        Process launcher = launcherTraining();
        List<ProcessHandle> children = launcher.descendants().toList();
        assertFalse(children.isEmpty(), "the launcher relaunched itself");
        launcher.destroy();
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher stopped");
        for (ProcessHandle child : children) {
            assertTrue(waitForExit(child, 30), "the relaunched JVM " + child.pid() + " stopped with its launcher");
        }
    }

    @Test
    void theRelaunchedJvmStopsItselfWhenItsLauncherIsKilledOutright() throws Exception {
        Process launcher = launcherTraining();
        List<ProcessHandle> children = launcher.descendants().toList();
        assertFalse(children.isEmpty(), "the launcher relaunched itself");
        launcher.destroyForcibly();
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher was killed");
        for (ProcessHandle child : children) {
            boolean stopped = waitForExit(child, 10);
            child.destroyForcibly();
            assertTrue(stopped, "the relaunched JVM " + child.pid() + " stopped after its launcher was killed");
        }
    }

    private static boolean waitForExit(ProcessHandle process, int seconds) throws Exception {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        }
    }

    @Test
    void helpAndErrorsComeWithoutTheIncubatorWarning() throws Exception {
        Process help = launcher("--help").redirectErrorStream(true).start();
        String printed = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, help.waitFor());
        assertTrue(printed.startsWith("Usage: cebm"), printed);

        Process bad = launcher("train", "--bogus").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String errors = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Main.USAGE_ERROR, bad.waitFor());
        assertEquals("cebm train: Unknown option: '--bogus' (see --help)\n", errors);
    }

    @Test
    void onlyTheJvmsStartupWarningIsLeftOut() throws Exception {
        String warning = VectorModule.INCUBATOR_WARNING;
        String errors = "Picked up JAVA_TOOL_OPTIONS: -Xss4m\n" + warning + "\ncebm train: a message\n" + warning + "\nno newline";
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        VectorModule.copyWithoutIncubatorWarning(new ByteArrayInputStream(errors.getBytes(StandardCharsets.UTF_8)), new PrintStream(copied));
        assertEquals("Picked up JAVA_TOOL_OPTIONS: -Xss4m\ncebm train: a message\n" + warning + "\nno newline",
                copied.toString(StandardCharsets.UTF_8));
    }
}
