package cebm.bench;

import ai.djl.engine.Engine;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.concurrent.ForkJoinPool;

/**
 * DJL's PyTorch engine, started offline and on as many threads as the CPU backend:
 * <ul>
 *   <li>{@code ai.djl.offline=true}: DJL downloads nothing (neither libtorch nor its telemetry
 *       call), and fails where it would have to. It finds libtorch in the jar
 *       {@code ai.djl.pytorch:pytorch-native-cpu} on the class path and extracts it;</li>
 *   <li>{@code ENGINE_CACHE_DIR}: it extracts into {@code target/djl-cache} beside these
 *       classes rather than {@code ~/.djl.ai}, where a library downloaded earlier would be
 *       used in place of the one on the class path;</li>
 *   <li>{@code ai.djl.pytorch.num_threads}: the common pool's workers plus the calling thread,
 *       the threads the CPU backend computes on (2 on a 2-core machine); inter-op threads 1,
 *       since eager PyTorch runs one op at a time.</li>
 * </ul>
 * A setting given on the command line ({@code -Dname=value}) is kept. DJL reads them once, when
 * the engine starts, so {@link #get} sets them first.
 *
 * <pre>{@code Engine torch = TorchEngine.get();}</pre>
 */
final class TorchEngine {
    private TorchEngine() {}

    static synchronized Engine get() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ENGINE_CACHE_DIR", cacheDir().toString());
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(cpuBackendThreads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        return Engine.getEngine("PyTorch");
    }

    /** Where libtorch is extracted: {@code target/djl-cache}, beside the classes or the jar. */
    static Path cacheDir() {
        try {
            Path classes = Path.of(TorchEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().resolve("djl-cache");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + TorchEngine.class, e);
        }
    }

    /** The threads the CPU backend's parallel loops run on: the common pool's workers and the caller. */
    static int cpuBackendThreads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) System.setProperty(property, value);
    }
}
