package cebm.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Makes a plain {@code java -jar cebm.jar …} use the fast CPU kernels.
 *
 * <p>The fast kernels use the Vector API, an incubator module that the JVM only resolves when
 * asked ({@code --add-modules jdk.incubator.vector}); a jar's manifest cannot ask for it. And
 * their GEMM loads each vector from one cache line only when the JVM puts objects on 64-byte
 * cache lines ({@code -XX:ObjectAlignmentInBytes=64}, see {@code cebm.tensor.cpu.gemm.CacheLines}),
 * which only a command-line option can ask for. So when either is missing, the launcher starts
 * the same JVM again, with both and the same arguments, and passes on its exit code.
 * The warning that the relaunched JVM prints at startup for the incubator module is left out of its
 * error output, which the launcher passes on; it would otherwise head every command's output.
 * {@code CEBM_NO_RELAUNCH=1} turns this off (then the plain Java kernels run, correct but slower,
 * or the fast ones with objects where they fall). {@code eval} is relaunched without the alignment:
 * its classifiers hold millions of small objects, which would each take 64 bytes instead of 24.
 * When the launcher is stopped (Ctrl-C, kill), it stops the relaunched JVM too; when it is killed
 * outright ({@code kill -9}, which runs no shutdown hook), the relaunched JVM notices and stops itself.
 */
final class VectorModule {
    static final String MODULE = "jdk.incubator.vector";
    static final String ALIGNMENT = "-XX:ObjectAlignmentInBytes=64";
    static final String INCUBATOR_WARNING = "WARNING: Using incubator modules: " + MODULE;
    /** Set on the relaunched JVM's command line to its launcher's process id; also keeps it from relaunching again. */
    static final String LAUNCHER_PID = "cebm.launcher.pid";

    private VectorModule() {}

    static boolean present() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** Whether this JVM was started with objects on 64-byte boundaries. */
    static boolean aligned() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().contains(ALIGNMENT);
    }

    /** Why the fast path is, or is not, active: one line for {@code info}. */
    static String status() {
        String objects = aligned() ? "; objects on 64-byte cache lines" : "; objects not cache-line aligned (" + ALIGNMENT + " missing)";
        if (present()) return "Vector API (" + MODULE + ") loaded: fast CPU kernels active" + objects;
        if ("1".equals(System.getenv("CEBM_NO_RELAUNCH"))) return "Vector API not loaded (CEBM_NO_RELAUNCH=1): plain Java kernels";
        return "Vector API not loaded and relaunch not possible: plain Java kernels";
    }

    /** Relaunches with the module and the alignment when needed and possible; returns true if it did (and the child has finished). */
    static boolean relaunchWithVectorModule(String[] args) {
        boolean wantAligned = !(args.length > 0 && args[0].equals("eval"));
        if ((present() && (aligned() || !wantAligned)) || System.getProperty(LAUNCHER_PID) != null || "1".equals(System.getenv("CEBM_NO_RELAUNCH"))) {
            return false;
        }
        Optional<String> javaExecutable = ProcessHandle.current().info().command();
        String classPath = System.getProperty("java.class.path");
        if (javaExecutable.isEmpty() || classPath == null || classPath.isEmpty()) return false;
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.get());
        if (!present()) command.add("--add-modules=" + MODULE);
        // The JVM's own settings (heap size and the like) go to the child too.
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (!aligned() && wantAligned) command.add(ALIGNMENT);
        command.add("-D" + LAUNCHER_PID + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO().redirectError(ProcessBuilder.Redirect.PIPE);
        try {
            Process child = builder.start();
            Thread copyErrors = new Thread(() -> {
                try {
                    copyWithoutIncubatorWarning(child.getErrorStream(), System.err);
                } catch (IOException e) {
                    System.err.println("cebm: the relaunched JVM's error output was cut off (" + e.getMessage() + ")");
                }
            }, "relaunched-jvm-errors");
            copyErrors.start();
            // A launcher stopped by a signal takes the relaunched JVM with it instead of leaving it running.
            Thread stopChild = new Thread(child::destroy, "stop-relaunched-jvm");
            try {
                Runtime.getRuntime().addShutdownHook(stopChild);
            } catch (IllegalStateException stoppingAlready) {
                child.destroy();
            }
            int code = child.waitFor();
            copyErrors.join();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            System.exit(code);
            return true;
        } catch (IOException e) {
            System.err.println("cebm: could not relaunch " + Path.of(javaExecutable.get()).getFileName() + " with " + MODULE
                    + " (" + e.getMessage() + "); continuing with the plain Java kernels");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * Copies {@code from} to {@code to} as it comes, less the line {@value #INCUBATOR_WARNING}. The JVM
     * prints that line before the program starts, so only the lines up to it are read whole.
     */
    static void copyWithoutIncubatorWarning(InputStream from, PrintStream to) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = from.read(); b != -1; b = from.read()) {
            line.write(b);
            if (b != '\n') continue;
            if (line.toString(StandardCharsets.UTF_8).strip().equals(INCUBATOR_WARNING)) {
                line.reset();
                break;
            }
            line.writeTo(to);
            line.reset();
        }
        line.writeTo(to);
        from.transferTo(to);
        to.flush();
    }

    /**
     * In the relaunched JVM: stops it when its launcher has ended. A launcher killed outright cannot stop
     * it, and a training left running without its launcher would go on writing its run folder unseen.
     */
    static void stopWithLauncher() {
        String pid = System.getProperty(LAUNCHER_PID);
        if (pid == null) return;
        CompletableFuture<ProcessHandle> launcherEnded = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::onExit)
                .orElse(CompletableFuture.completedFuture(null));
        launcherEnded.thenRun(() -> {
            System.err.println("cebm: stopping, the launching process " + pid + " has ended");
            Runtime.getRuntime().halt(1);
        });
    }
}
