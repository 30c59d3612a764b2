package cebm.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatentProjectionTest {
    @Test
    void findsTheAxesOfLargestVarianceInOrder() {
        // Standard deviations 3, 1 and 0.1 along a rotated basis of R^3.
        double[][] basis = {{0.6, 0.8, 0}, {-0.8, 0.6, 0}, {0, 0, 1}};
        double[] sd = {3, 1, 0.1};
        Random r = new Random(1);
        int n = 20_000;
        float[][] x = new float[n][3];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double c = sd[a] * r.nextGaussian();
                for (int j = 0; j < 3; j++) x[i][j] += (float) (c * basis[a][j]);
            }
            x[i][0] += 5; // an offset, which PCA removes
        }
        LatentProjection.Result p = LatentProjection.pca(x);
        // Sign fixed so that the largest entry is positive: (0.6, 0.8, 0) and (−0.8, 0.6, 0) → (0.8, −0.6, 0).
        assertEquals(0.6, p.axes()[0][0], 0.01);
        assertEquals(0.8, p.axes()[0][1], 0.01);
        assertEquals(0.8, p.axes()[1][0], 0.01);
        assertEquals(-0.6, p.axes()[1][1], 0.01);
        double total = 9 + 1 + 0.01;
        assertEquals(9 / total, p.explainedVariance()[0], 0.01);
        assertEquals(1 / total, p.explainedVariance()[1], 0.01);
        // Coordinates are centred projections.
        double mean = 0, var = 0;
        for (double v : p.x()) mean += v / n;
        for (double v : p.x()) var += (v - mean) * (v - mean) / (n - 1);
        assertEquals(0, mean, 1e-6);
        assertEquals(9, var, 0.3);
    }

    @Test
    void exactPointsOnALineProjectToTheirPositionAlongIt() {
        float[][] x = {{0, 0}, {1, 1}, {2, 2}, {3, 3}};
        LatentProjection.Result p = LatentProjection.pca(x);
        double s = Math.sqrt(2);
        for (int i = 0; i < 4; i++) {
            assertEquals((i - 1.5) * s, p.x()[i], 1e-9);
            assertEquals(0, p.y()[i], 1e-9);
        }
        assertEquals(1, p.explainedVariance()[0], 1e-9);
    }

    @Test
    void needsTwoPointsInTwoDimensions() {
        assertThrows(IllegalArgumentException.class, () -> LatentProjection.pca(new float[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> LatentProjection.pca(new float[][] {{1}, {2}}));
    }
}
