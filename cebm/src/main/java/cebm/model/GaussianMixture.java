package cebm.model;

import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * Gaussian mixtures over the latent z, one per row: weights {@code [N,L]} (each row sums to 1),
 * means and standard deviations {@code [N,L,K]}. The posterior q(z | x) of each image is one
 * (spec §1): for the CEBM a single Gaussian (L = 1) with natural parameters λ + t(x); for the
 * GMM-CEBM the L components of the bias, each updated to λ_l + t(x) and weighted by
 * p(y = l | x). The bias p(z) is one more, with N = 1.
 */
public record GaussianMixture(Tensor weights, Tensor means, Tensor stds) {
    /** From each component's natural parameters a1, a2 {@code [N,L,K]}: μ = −a1/(2 a2), σ² = −1/(2 a2). */
    static GaussianMixture ofNatural(Tensor weights, Tensor a1, Tensor a2) {
        return new GaussianMixture(weights, NaturalGaussian.mean(a1, a2), NaturalGaussian.std(a2));
    }

    public int count() {
        return means.size(0);
    }

    public int components() {
        return means.size(1);
    }

    public int dim() {
        return means.size(2);
    }

    /**
     * The mean and standard deviation of each row's most probable component, {@code [N,K]} each:
     * the latent representation the evaluation reads (for L = 1, the posterior itself).
     */
    public Tensor[] mostProbable() {
        int n = count(), l = components(), k = dim();
        if (l == 1) return new Tensor[] {means.reshape(n, k), stds.reshape(n, k)};
        float[] best = Ops.argmax(weights, 1).toArray();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i * l + (int) best[i];
        Tensor byComponent = means.reshape(n * l, k), stdsByComponent = stds.reshape(n * l, k);
        return new Tensor[] {byComponent.backend().gatherRows(byComponent, rows), stdsByComponent.backend().gatherRows(stdsByComponent, rows)};
    }
}
