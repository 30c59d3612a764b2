package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Philox on the device gives the CPU's numbers for the same (seed, counter). */
@GpuTest
class RandomKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final int[][] SHAPES = {{1}, {2}, {3}, {4}, {5}, {1000, 7}, {128, 1, 28, 28}};
    /** (seed, counter): zero, small, a counter that carries into its high word, wrap-around at 2^64. */
    private static final long[][] STREAMS = {{0, 0}, {42, 7}, {-1, 0xFFFF_FFFFL - 3}, {0x0123_4567_89AB_CDEFL, -10}};
    /**
     * Box–Muller in double on both devices, then rounded to float: the normals are equal unless
     * CUDA's log/sin/cos and Java's round differently in double and that survives the rounding to
     * float, which leaves one float ulp, below 4.8e-7 for |z| < 8 (and |z| < 5.8 always).
     */
    private static final double NORMAL_ULP = 1e-6;

    private final Backend cuda = new CudaBackendProvider().backend();

    @Test
    void uniformIsTheCpusBitForBit() {
        for (long[] stream : STREAMS) {
            for (int[] shape : SHAPES) {
                assertArrayEquals(CPU.uniform(shape, -2f, 3f, stream[0], stream[1]).toArray(),
                        cuda.uniform(shape, -2f, 3f, stream[0], stream[1]).toArray(),
                        "uniform " + Arrays.toString(shape) + " from " + Arrays.toString(stream));
            }
        }
    }

    @Test
    void normalIsTheCpusToOneUlp() {
        for (long[] stream : STREAMS) {
            for (int[] shape : SHAPES) {
                String what = Arrays.toString(shape) + " from " + Arrays.toString(stream);
                assertClose("standard normal " + what, CPU.normal(shape, 0f, 1f, stream[0], stream[1]).toArray(),
                        cuda.normal(shape, 0f, 1f, stream[0], stream[1]).toArray(), NORMAL_ULP);
                // Scaled by 2: the one-ulp difference doubles, and the sum with the mean may round it once more.
                assertClose("N(0.5, 4) " + what, CPU.normal(shape, 0.5f, 2f, stream[0], stream[1]).toArray(),
                        cuda.normal(shape, 0.5f, 2f, stream[0], stream[1]).toArray(), 4 * NORMAL_ULP);
            }
        }
    }

    static void assertClose(String what, float[] expected, float[] actual, double maxAbsDiff) {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {  // NaN counts as the worst
                worst = d;
                at = i;
            }
        }
        final double w = worst;
        final int i = at;
        assertTrue(worst <= maxAbsDiff, () -> what + ": max |difference| " + w + " at [" + i + "]: cuda " + actual[i]
                + ", cpu " + expected[i] + " (allowed " + maxAbsDiff + ")");
    }
}
