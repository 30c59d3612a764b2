package cebm.model;

import cebm.autograd.Variable;
import cebm.tensor.Tensor;

import java.util.Optional;

/**
 * A model that assigns an energy to each image: {@code p(x) ∝ exp(−E(x))}, so lower energy means
 * more probable. The sign convention is the spec's: E = −log p(x) up to the constant log Z.
 */
public interface EnergyModel {
    /** E(x) for each image of the batch: {@code [B,C,H,W] → [B]}. */
    Variable energy(Variable x);

    /** The posterior (or, for the IGEBM, the first hidden layer of its energy MLP) used as the latent representation. */
    Posterior posterior(Tensor x);

    /**
     * The posterior q(z | x) of each image, as a mixture ({@link GaussianMixture}); empty for a
     * model without one (the IGEBM).
     */
    default Optional<GaussianMixture> posteriorMixture(Tensor x) {
        return Optional.empty();
    }

    /** The bias p(z), as a mixture of one row; empty for a model without one (the IGEBM). */
    default Optional<GaussianMixture> bias() {
        return Optional.empty();
    }

    Parameters parameters();

    Architecture architecture();

    /** A short name: cebm, gmm-cebm, igebm. */
    String kind();

    /**
     * What the model says about a batch of images.
     *
     * @param mean             the latent representation {@code [B,K]}: μ̃ (of the most probable component for a mixture)
     * @param std              σ̃ {@code [B,K]}, or null where the model has no posterior (IGEBM)
     * @param responsibilities p(y = l | x) {@code [B,L]} for the mixture, else null
     */
    record Posterior(Tensor mean, Tensor std, Tensor responsibilities) {}
}
