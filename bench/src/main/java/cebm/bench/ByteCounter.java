package cebm.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Memory traffic of a benchmark in units of 10⁹ bytes: with a throughput mode in seconds, GB/s. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {
    public double gbyte;

    @Setup(Level.Iteration)
    public void reset() {
        gbyte = 0;
    }

    void add(long bytes) {
        gbyte += bytes * 1e-9;
    }
}
