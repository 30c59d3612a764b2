package cebm.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

import java.util.concurrent.TimeUnit;

/**
 * What every benchmark here shares, inherited by JMH from this class: throughput in operations
 * per second, and one fork of a JVM started as the launcher starts {@code cebm.jar}, with the
 * Vector API module and objects on 64-byte cache lines ({@code cebm.tensor.cpu.CacheLines}).
 * Each benchmark sets its own warm-up and measurement times.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:ObjectAlignmentInBytes=64"})
public abstract class BenchmarkDefaults {
}
