package cebm.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
        assertArrayEquals(new int[] {1, 0, 3, 2, 3}, NearestNeighbourAgreement.neighbours(x, x, true, Steps.NONE));
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
        assertEquals(3 / 5.0, res.agreement(), 1e-12, "the fraction of all images");
    }

    @Test
    void leaveOneOutNeverMatchesAQueryWithItself() {
        // Two images at the same place are each other's neighbour at distance 0; the third ties between them.
        float[][] x = {{0}, {0}, {3}};
        assertArrayEquals(new int[] {1, 0, 0}, NearestNeighbourAgreement.neighbours(x, x, true, Steps.NONE));
        // The same set as references without leaving one out: every point is its own neighbour.
        assertArrayEquals(new int[] {0, 0, 2}, NearestNeighbourAgreement.neighbours(x, x, false, Steps.NONE));
        float[][] random = randomPoints(300, 3);
        int[] neighbour = NearestNeighbourAgreement.neighbours(random, random, true, Steps.NONE);
        for (int i = 0; i < random.length; i++) assertNotEquals(i, neighbour[i], "point " + i);
    }

    @Test
    void againstTrainingReferencesEachTestImageTakesItsNearestTrainingImagesClass() {
        // Two clusters, near 0 and near 10. In the test set the first cluster mixes the classes, so within the
        // test set the points at 0 and 1 take each other's (wrong) class; among the training images each test
        // image finds one of its own class. The training images are in another order than the test images, so
        // that a neighbour's class read from the test labels would be wrong.
        float[][] test = {{0}, {1}, {10}, {11}};
        int[] testLabels = {0, 1, 1, 1};
        float[][] training = {{10.5f}, {0.2f}, {0.9f}};
        int[] trainingLabels = {1, 0, 1};
        assertArrayEquals(new int[] {1, 2, 0, 0}, NearestNeighbourAgreement.neighbours(test, training, false, Steps.NONE));

        NearestNeighbourAgreement.Variants v = NearestNeighbourAgreement.variants(test, testLabels, training, trainingLabels, 2, Steps.NONE);
        assertArrayEquals(new int[] {0, 1}, v.leaveOneOut().counts()[0]);
        assertArrayEquals(new int[] {1, 2}, v.leaveOneOut().counts()[1]);
        assertEquals(0.5, v.leaveOneOut().agreement(), 1e-12, "the points at 10 and 11 agree, those at 0 and 1 do not");
        assertEquals((0 + 2 / 3.0) / 2, v.leaveOneOut().meanDiagonal(), 1e-12);
        assertArrayEquals(new int[] {1, 0}, v.againstTraining().counts()[0]);
        assertArrayEquals(new int[] {0, 3}, v.againstTraining().counts()[1]);
        assertEquals(1.0, v.againstTraining().agreement(), 0.0);
        assertEquals(1.0, v.againstTraining().meanDiagonal(), 0.0);
    }

    @Test
    void neighboursAreFoundAcrossChunkBoundaries() {
        float[][] x = randomPoints(600, 2), references = randomPoints(700, 4);
        assertNearest(x, x, true, NearestNeighbourAgreement.neighbours(x, x, true, Steps.NONE));
        assertNearest(x, references, false, NearestNeighbourAgreement.neighbours(x, references, false, Steps.NONE));
    }

    private static float[][] randomPoints(int n, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) x[i] = new float[] {(float) r.nextGaussian(), (float) r.nextGaussian()};
        return x;
    }

    /** Checks every 37th query against a plain search over all references. */
    private static void assertNearest(float[][] queries, float[][] references, boolean leaveOneOut, int[] fast) {
        for (int i = 0; i < queries.length; i += 37) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < references.length; j++) {
                if (leaveOneOut && j == i) continue;
                double dx = queries[i][0] - references[j][0], dy = queries[i][1] - references[j][1], d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = j;
                }
            }
            assertEquals(best, fast[i], "query " + i);
        }
    }
}
