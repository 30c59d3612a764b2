package cebm.eval;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PosteriorCollapseTest {
    private static PosteriorCollapse.Mixtures gaussians(int n, int dim, double meanStd, float std, long seed) {
        Random r = new Random(seed);
        float[] means = new float[n * dim], stds = new float[n * dim];
        for (int i = 0; i < means.length; i++) {
            means[i] = (float) (meanStd * r.nextGaussian());
            stds[i] = std;
        }
        return mixturesOfOne(n, dim, means, stds);
    }

    /** One Gaussian per row: means and stds {@code [count·dim]}, weight 1. */
    private static PosteriorCollapse.Mixtures mixturesOfOne(int count, int dim, float[] means, float[] stds) {
        double[] w = new double[count];
        java.util.Arrays.fill(w, 1.0);
        return new PosteriorCollapse.Mixtures(count, 1, dim, w, means, stds);
    }

    /** N(0, I) in {@code dim} dimensions, as one mixture of one component. */
    private static PosteriorCollapse.Mixtures standardNormal(int dim) {
        float[] ones = new float[dim];
        java.util.Arrays.fill(ones, 1f);
        return mixturesOfOne(1, dim, new float[dim], ones);
    }

    @Test
    void posteriorsEqualToThePriorHaveNoKlAndNoInformation() {
        PosteriorCollapse.Mixtures q = gaussians(2000, 8, 0, 1f, 1);
        PosteriorCollapse.Result r = PosteriorCollapse.estimate(q, standardNormal(8), 1000, 3, Steps.NONE);
        assertEquals(0, r.kl(), 1e-9);
        assertEquals(0, r.mi(), 1e-9);
        assertEquals(2, r.batches());
        assertEquals(1000, r.batchSize());
    }

    @Test
    void tightDistinctPosteriorsHaveALargeKlAndTheMaximalInformation() {
        int dim = 8;
        PosteriorCollapse.Result r = PosteriorCollapse.estimate(gaussians(2000, dim, 1, 0.01f, 2),
                standardNormal(dim), 1000, 4, Steps.NONE);
        // Every posterior is far from every other: log q̂(z_n) ≈ log q(z_n | x_n) − log B, so MI ≈ log B, and
        // KL ≈ −log B + E[log q(z|x)] − E[log p(z)] = −log B − K log σ − K/2 + E‖z‖²/2 ≈ −6.9 + 36.8 − 4 + 4.
        assertEquals(Math.log(1000), r.mi(), 0.01);
        assertEquals(-Math.log(1000) - dim * Math.log(0.01), r.kl(), 0.5);
        assertTrue(r.kl() > 20);
    }

    @Test
    void klPlusMutualInformationIsTheMeanKlOfThePosteriorsFromThePrior() {
        int n = 5000, dim = 4;
        PosteriorCollapse.Mixtures q = gaussians(n, dim, 0.5, 0.8f, 5);
        PosteriorCollapse.Result r = PosteriorCollapse.estimate(q, standardNormal(dim), 1000, 6, Steps.NONE);
        // Closed form: KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ_k (σ² + μ² − 1 − log σ²).
        double exact = 0;
        for (int i = 0; i < n * dim; i++) {
            double m = q.means()[i], s = q.stds()[i];
            exact += 0.5 * (s * s + m * m - 1 - Math.log(s * s));
        }
        exact /= n;
        assertEquals(exact, r.kl() + r.mi(), 0.05, "KL " + r.kl() + " MI " + r.mi());
        assertTrue(r.kl() > 0 && r.mi() > 0);
        assertEquals(5, r.batches());
    }

    @Test
    void mixturePosteriorsEqualToAMixturePriorHaveNoKlAndNoInformation() {
        int n = 300, c = 3, dim = 2;
        float[] priorMeans = {-3, 0, 0, 2, 4, -1};
        float[] priorStds = {1, 0.5f, 0.7f, 1, 2, 0.3f};
        double[] w = {1 / 3.0, 1 / 3.0, 1 / 3.0};
        PosteriorCollapse.Mixtures prior = new PosteriorCollapse.Mixtures(1, c, dim, w, priorMeans, priorStds);
        float[] means = new float[n * c * dim], stds = new float[n * c * dim];
        double[] weights = new double[n * c];
        for (int i = 0; i < n; i++) {
            System.arraycopy(priorMeans, 0, means, i * c * dim, c * dim);
            System.arraycopy(priorStds, 0, stds, i * c * dim, c * dim);
            System.arraycopy(w, 0, weights, i * c, c);
        }
        PosteriorCollapse.Result r = PosteriorCollapse.estimate(new PosteriorCollapse.Mixtures(n, c, dim, weights, means, stds),
                prior, 1000, 7, Steps.NONE);
        assertEquals(1, r.batches());
        assertEquals(n, r.batchSize(), "a set smaller than a batch is one batch of its size");
        assertEquals(0, r.kl(), 1e-9);
        assertEquals(0, r.mi(), 1e-9);
    }

    @Test
    void theSameSeedGivesTheSameEstimate() {
        PosteriorCollapse.Mixtures q = gaussians(2500, 4, 1, 0.3f, 8);
        var p = standardNormal(4);
        PosteriorCollapse.Result a = PosteriorCollapse.estimate(q, p, 1000, 9, Steps.NONE);
        PosteriorCollapse.Result b = PosteriorCollapse.estimate(q, p, 1000, 9, Steps.NONE);
        assertArrayEquals(a.klPerBatch(), b.klPerBatch());
        assertArrayEquals(a.miPerBatch(), b.miPerBatch());
        assertEquals(2, a.batches(), "the remainder of 500 is dropped");
        assertTrue(Arrays.stream(a.miPerBatch()).allMatch(m -> m <= Math.log(1000) + 1e-9));
    }
}
