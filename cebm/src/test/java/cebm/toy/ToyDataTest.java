package cebm.toy;

import cebm.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyDataTest {
    private static final int N = 4000;

    @Test
    void sameSeedSamePointsOtherSeedOtherPoints() {
        for (ToyData d : ToyData.values()) {
            Dataset a = d.generate(100, 7), b = d.generate(100, 7), c = d.generate(100, 8);
            assertArrayEquals(ToyRun.points(a), ToyRun.points(b), d.flag());
            assertArrayEquals(a.labels(IntStream.range(0, 100).toArray()), b.labels(IntStream.range(0, 100).toArray()), d.flag());
            assertFalse(java.util.Arrays.equals(ToyRun.points(a), ToyRun.points(c)), d.flag());
        }
    }

    @Test
    void pointsArePixelsOfTwoChannelOneByOneImagesInsideTheSquare() {
        for (ToyData d : ToyData.values()) {
            Dataset data = d.generate(N, 1);
            assertEquals(N, data.size());
            assertArrayEquals(new int[] {N, 2, 1, 1}, data.batch(IntStream.range(0, N).toArray()).shape(), d.flag());
            for (float v : ToyRun.points(data)) assertTrue(Math.abs(v) < 1.2, d.flag() + ": " + v);
            for (int count : data.classCounts()) assertTrue(count > 0, d.flag() + " uses every label");
        }
    }

    @Test
    void eightGaussiansHaveTheirCentresAndWidth() {
        Dataset data = ToyData.EIGHT_GAUSSIANS.generate(N, 2);
        float[] p = ToyRun.points(data);
        double[] sum = new double[16], squares = new double[8];
        int[] count = new int[8];
        for (int i = 0; i < N; i++) {
            int k = data.label(i);
            sum[2 * k] += p[2 * i];
            sum[2 * k + 1] += p[2 * i + 1];
            count[k]++;
        }
        for (int k = 0; k < 8; k++) {
            double angle = 2 * Math.PI * k / 8;
            // 500 points of std 0.06: the mean is within 0.06/√500 ≈ 0.003 of the centre; 0.01 is over 3 of those.
            assertEquals(0.75 * Math.cos(angle), sum[2 * k] / count[k], 0.01, "x of centre " + k);
            assertEquals(0.75 * Math.sin(angle), sum[2 * k + 1] / count[k], 0.01, "y of centre " + k);
        }
        for (int i = 0; i < N; i++) {
            int k = data.label(i);
            double dx = p[2 * i] - sum[2 * k] / count[k], dy = p[2 * i + 1] - sum[2 * k + 1] / count[k];
            squares[k] += (dx * dx + dy * dy) / 2;
        }
        for (int k = 0; k < 8; k++) assertEquals(0.06, Math.sqrt(squares[k] / count[k]), 0.006, "std of mode " + k);
    }

    @Test
    void twoRingsHaveTheirRadii() {
        Dataset data = ToyData.TWO_RINGS.generate(N, 3);
        float[] p = ToyRun.points(data);
        double[] sum = new double[2], squares = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < N; i++) {
            double r = Math.hypot(p[2 * i], p[2 * i + 1]);
            sum[data.label(i)] += r;
            squares[data.label(i)] += r * r;
            count[data.label(i)]++;
        }
        double[] radius = {0.35, 0.8};
        for (int k = 0; k < 2; k++) {
            double mean = sum[k] / count[k];
            assertEquals(radius[k], mean, 0.005, "ring " + k);
            assertEquals(0.04, Math.sqrt(squares[k] / count[k] - mean * mean), 0.004, "width of ring " + k);
        }
    }

    @Test
    void twoMoonsAreCentredAndInterlocked() {
        Dataset data = ToyData.TWO_MOONS.generate(N, 4);
        float[] p = ToyRun.points(data);
        double[] mean = new double[4];
        int[] count = new int[2];
        for (int i = 0; i < N; i++) {
            int k = data.label(i);
            mean[2 * k] += p[2 * i];
            mean[2 * k + 1] += p[2 * i + 1];
            count[k]++;
        }
        // Moon 0 is (cos t, sin t), moon 1 is (1 − cos t, ½ − sin t), t ~ U[0, π]: E sin t = 2/π.
        // Centred on (½, ¼) and scaled by 0.6, their means are 0.6·(−½, 2/π − ¼) and 0.6·(½, ¼ − 2/π).
        // Tolerances are 4 standard errors of a mean of 2000 points: 0.6·std(cos t)/√2000 ≈ 0.0095 for x,
        // 0.6·std(sin t)/√2000 ≈ 0.004 for y.
        double y = 0.6 * (2 / Math.PI - 0.25);
        assertEquals(-0.3, mean[0] / count[0], 0.04);
        assertEquals(y, mean[1] / count[0], 0.016);
        assertEquals(0.3, mean[2] / count[1], 0.04);
        assertEquals(-y, mean[3] / count[1], 0.016);
    }

    @Test
    void unknownNamesAreRejectedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToyData.named("spirals"));
        assertTrue(e.getMessage().contains("eight-gaussians, two-rings or two-moons"), e.getMessage());
        assertEquals(ToyData.TWO_MOONS, ToyData.named("two-moons"));
    }
}
