package cebm.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point work done by a benchmark, in units of 10⁹ FLOP. JMH divides an
 * {@link AuxCounters.Type#OPERATIONS} counter by the measured time, so with
 * {@code @OutputTimeUnit(SECONDS)} the {@code gflop} line of the report reads in GFLOP/s
 * (summed over the benchmark threads).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class GflopCounter {
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }

    void add(long flops) {
        gflop += flops * 1e-9;
    }
}
