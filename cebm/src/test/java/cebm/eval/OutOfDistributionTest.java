package cebm.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutOfDistributionTest {
    @Test
    void perfectlySeparatedScoresHaveAurocOne() {
        assertEquals(1.0, OutOfDistribution.auroc(new double[] {5, 6, 7}, new double[] {1, 2, 3, 4}), 1e-12);
    }

    @Test
    void identicalScoresHaveAurocOneHalf() {
        assertEquals(0.5, OutOfDistribution.auroc(new double[] {3, 3, 3}, new double[] {3, 3}), 1e-12);
    }

    @Test
    void reversedScoresHaveAurocZero() {
        assertEquals(0.0, OutOfDistribution.auroc(new double[] {1, 2}, new double[] {3, 4, 5}), 1e-12);
    }

    @Test
    void aurocIsTheMannWhitneyStatisticWithTiesCountingOneHalf() {
        // Positive scores {1, 2}, negative {1, 0}: pairs (1,1) tie = ½, (1,0) = 1, (2,1) = 1, (2,0) = 1 → 3.5 / 4.
        assertEquals(0.875, OutOfDistribution.auroc(new double[] {1, 2}, new double[] {1, 0}), 1e-12);
        // Brute force on an irregular case.
        double[] pos = {0.3, 0.9, 0.9, 0.1, 0.5}, neg = {0.2, 0.9, 0.4, 0.4};
        double wins = 0;
        for (double p : pos) for (double n : neg) wins += p > n ? 1 : p == n ? 0.5 : 0;
        assertEquals(wins / (pos.length * neg.length), OutOfDistribution.auroc(pos, neg), 1e-12);
    }

    @Test
    void nanScoresRankAsLeastInDistribution() {
        assertEquals(1.0, OutOfDistribution.auroc(new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}), 1e-12);
        assertEquals(1.0, OutOfDistribution.auroc(new double[] {Double.POSITIVE_INFINITY}, new double[] {1e300}), 1e-12);
    }

    @Test
    void theGradientScoreIsNegatedSoSmallGradientsMeanInDistribution() {
        var in = new OutOfDistribution.Scores(new double[] {-1, -2}, new double[] {0.1, 0.2});
        var out = new OutOfDistribution.Scores(new double[] {-5, -6}, new double[] {3, 4});
        OutOfDistribution.Pair p = OutOfDistribution.evaluate("noise", in, out);
        assertEquals(1.0, p.aurocLogDensity(), 1e-12);
        assertEquals(1.0, p.aurocGradientNorm(), 1e-12);
        assertEquals(-1.5, p.meanLogDensityIn(), 1e-12);
        assertEquals(3.5, p.meanGradientNormOut(), 1e-12);
    }

    @Test
    void bothClassesAreNeeded() {
        assertThrows(IllegalArgumentException.class, () -> OutOfDistribution.auroc(new double[0], new double[] {1}));
    }
}
