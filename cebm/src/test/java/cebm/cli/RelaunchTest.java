package cebm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher that relaunched itself with the Vector API module does not leave that JVM running when it is stopped. */
class RelaunchTest {
    @Test
    void stoppingTheLauncherStopsTheRelaunchedJvm(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // A plain JVM (no module, no alignment): the launcher relaunches itself.
        ProcessBuilder b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--quiet", "--steps", "100000", "--out", dir.resolve("run").toString());
        b.environment().remove("CEBM_RELAUNCHED");
        b.environment().remove("CEBM_NO_RELAUNCH");
        b.redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        Process launcher = b.start();
        // Stopped while it trains, as a user stops a run: once the relaunched JVM has written the run's config.
        Path config = dir.resolve("run").resolve("config.json");
        for (int i = 0; i < 600 && !Files.exists(config); i++) Thread.sleep(100);
        assertTrue(Files.exists(config), "the run started");
        List<ProcessHandle> children = launcher.descendants().toList();
        assertFalse(children.isEmpty(), "the launcher relaunched itself");
        launcher.destroy();
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher stopped");
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the relaunched JVM " + child.pid() + " stopped with its launcher");
        }
    }
}
