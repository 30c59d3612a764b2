package cebm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher that relaunched itself with the Vector API module does not leave that JVM running when it is stopped. */
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
}
