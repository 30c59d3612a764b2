package cebm.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NearestNeighbourAgreementTest {
    @Test
    void wellSeparatedClustersAgreeCompletely() {
        int classes = 10, n = 300, dim = 5;
        Random r = new Random(1);
        float[][] x = new float[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < dim; j++) x[i][j] = (float) (100 * y[i] * (j + 1) + r.nextGaussian());
        }
        NearestNeighbourAgreement.Result res = NearestNeighbourAgreement.leaveOneOut(x, y, classes, Steps.NONE);
        assertEquals(1.0, res.meanDiagonal(), 0.0);
        for (int t = 0; t < classes; t++) {
            for (int p = 0; p < classes; p++) assertEquals(t == p ? 1.0 : 0.0, res.confusion()[t][p], 0.0);
        }
    }

    @Test
    void rowsSumToOneAndCountsMatchTheNeighbours() {
        // 1-D points 0, 1, 5, 6, 20: their neighbours are the points at 1, 0, 6, 5, 6.
        float[][] x = {{0}, {1}, {5}, {6}, {20}};
        int[] y = {0, 1, 1, 1, 1};
        assertArrayEquals(new int[] {1, 0, 3, 2, 3}, NearestNeighbourAgreement.neighbours(x, Steps.NONE));
        NearestNeighbourAgreement.Result res = NearestNeighbourAgreement.leaveOneOut(x, y, 3, Steps.NONE);
        assertArrayEquals(new int[] {0, 1, 0}, res.counts()[0]);
        assertArrayEquals(new int[] {1, 3, 0}, res.counts()[1]);
        assertArrayEquals(new double[] {0, 1, 0}, res.confusion()[0]);
        assertArrayEquals(new double[] {0.25, 0.75, 0}, res.confusion()[1]);
        for (int t = 0; t < 2; t++) {
            double sum = 0;
            for (double v : res.confusion()[t]) sum += v;
            assertEquals(1.0, sum, 1e-12);
        }
        assertArrayEquals(new double[] {0, 0, 0}, res.confusion()[2], "a class without images has a zero row");
        assertEquals((0 + 0.75) / 2, res.meanDiagonal(), 1e-12, "the mean over the classes present");
    }

    @Test
    void neighboursAreFoundAcrossChunkBoundaries() {
        int n = 600;
        float[][] x = new float[n][2];
        Random r = new Random(2);
        for (int i = 0; i < n; i++) x[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()};
        int[] fast = NearestNeighbourAgreement.neighbours(x, Steps.NONE);
        for (int i = 0; i < n; i += 37) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double dx = x[i][0] - x[j][0], dy = x[i][1] - x[j][1], d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = j;
                }
            }
            assertEquals(best, fast[i], "point " + i);
        }
    }
}
