package cebm.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's fp32 FMA peak as seen from Java: the yardstick for the GFLOP/s of
 * {@link Conv2dSwishBench}.
 *
 * <p>Twelve independent accumulator chains of {@code acc = acc·x + y} on
 * {@link FloatVector#SPECIES_PREFERRED} vectors. An FMA has a latency of about 4 cycles and a
 * core issues up to 2 per cycle, so at least 8 chains must be in flight to keep both FMA units
 * busy; 12 leaves slack and still fits in the 16 (AVX2) or 32 (AVX-512) vector registers.
 * With x = 0.999 and y = 0.001 every chain converges to 1: no overflow, no subnormals.
 */
@State(Scope.Thread)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FmaPeakBench extends BenchmarkDefaults {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final int STEPS = 10_000;
    /** Multiply and add are two FLOP per lane. */
    private static final long FLOPS_PER_CALL = 2L * CHAINS * STEPS * SPECIES.length();

    // NOTE: fields, not constants, so that the JIT cannot fold the arithmetic away.
    private float x = 0.999f;
    private float y = 0.001f;

    @Benchmark
    @Threads(1)
    public float oneThread(GflopCounter counter) {
        counter.add(FLOPS_PER_CALL);
        return fmaChains();
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(GflopCounter counter) {
        counter.add(FLOPS_PER_CALL);
        return fmaChains();
    }

    private float fmaChains() {
        FloatVector vx = FloatVector.broadcast(SPECIES, x);
        FloatVector vy = FloatVector.broadcast(SPECIES, y);
        FloatVector a0 = vy, a1 = vy, a2 = vy, a3 = vy, a4 = vy, a5 = vy;
        FloatVector a6 = vy, a7 = vy, a8 = vy, a9 = vy, a10 = vy, a11 = vy;
        for (int i = 0; i < STEPS; i++) {
            a0 = a0.fma(vx, vy);
            a1 = a1.fma(vx, vy);
            a2 = a2.fma(vx, vy);
            a3 = a3.fma(vx, vy);
            a4 = a4.fma(vx, vy);
            a5 = a5.fma(vx, vy);
            a6 = a6.fma(vx, vy);
            a7 = a7.fma(vx, vy);
            a8 = a8.fma(vx, vy);
            a9 = a9.fma(vx, vy);
            a10 = a10.fma(vx, vy);
            a11 = a11.fma(vx, vy);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5)
                .add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
