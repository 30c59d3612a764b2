package cebm.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;

/**
 * What every benchmark here shares, inherited by JMH from this class: throughput in operations
 * per second, and one fork of a JVM started as the launcher starts {@code cebm.jar}, with the
 * Vector API module and objects on 64-byte cache lines ({@code cebm.tensor.cpu.gemm.CacheLines}).
 * Each benchmark sets its own warm-up and measurement times.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchmarkDefaults.VECTOR_MODULE, BenchmarkDefaults.CACHE_LINE_OBJECTS})
public abstract class BenchmarkDefaults {
    /** The Vector API module, which the fast CPU kernels need. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";
    /** Objects on 64-byte boundaries, so that the GEMM's operands start on cache lines. */
    static final String CACHE_LINE_OBJECTS = "-XX:ObjectAlignmentInBytes=64";
}
