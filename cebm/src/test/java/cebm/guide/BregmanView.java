package cebm.guide;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.model.EnergyModel;
import cebm.model.GaussianCebm;
import cebm.tensor.Tensor;
import cebm.toy.ToyData;
import cebm.toy.ToySetup;

/**
 * docs/energy-based-models.md, section 5: the CEBM's energy computed by the model, and again from
 * the posterior alone, as E(x) = −⟨t(x), ∇B(λ)⟩ − KL(p(z) ‖ p(z | x)).
 */
public final class BregmanView {
    private BregmanView() {}

    public static void main(String[] args) {
        GaussianCebm model = ToySetup.model(ToySetup.LATENT, 0);                // any parameters will do
        Tensor x = ToyData.TWO_MOONS.generate(4, 0).batch(new int[] {0, 1, 2, 3});
        float[] energy = energies(model, x);
        double[] fromPosterior = fromPosterior(model, x);
        for (int b = 0; b < energy.length; b++) {
            System.out.printf("E(x%d) = %.4f   -<t, grad B(lambda)> - KL(prior || posterior) = %.4f%n", b, energy[b], fromPosterior[b]);
        }
    }

    private static float[] energies(EnergyModel model, Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            return model.energy(Variable.constant(x)).value().toArray();
        }
    }

    // region bregman
    /**
     * For the prior N(0, 1) in every dimension: λ = (0, −½) and ∇B(λ) = (E z, E z²) = (0, 1). The
     * posterior N(μ̃, σ̃²) has natural parameters λ + t = (μ̃/σ̃², −1/(2σ̃²)), so t1 = μ̃/σ̃² and
     * t2 = ½ − 1/(2σ̃²); and KL(N(0, 1) ‖ N(μ̃, σ̃²)) = log σ̃ + (1 + μ̃²)/(2σ̃²) − ½.
     */
    static double[] fromPosterior(EnergyModel model, Tensor x) {
        EnergyModel.Posterior posterior = model.posterior(x);
        float[] mean = posterior.mean().toArray(), std = posterior.std().toArray();
        int batch = x.size(0), k = mean.length / batch;
        double[] energy = new double[batch];
        for (int b = 0; b < batch; b++) {
            for (int j = b * k; j < (b + 1) * k; j++) {
                double variance = (double) std[j] * std[j];
                double t2 = 0.5 - 1 / (2 * variance);                      // t1 meets ∇B's first entry, 0
                double kl = Math.log(std[j]) + (1 + (double) mean[j] * mean[j]) / (2 * variance) - 0.5;
                energy[b] += -t2 * 1 - kl;
            }
        }
        return energy;
    }
    // endregion
}
