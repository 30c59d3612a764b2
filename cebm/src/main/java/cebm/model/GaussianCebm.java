package cebm.model;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.autograd.ops.LogNormalizer;
import cebm.autograd.ops.Reshape;
import cebm.autograd.ops.Sub;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/**
 * The CEBM with a spherical Gaussian bias p(z) = N(0, I) (spec §1): λ = (0, −½) in every latent
 * dimension, and
 * <pre>
 *   E(x) = Σ_k [ B(λ_k) − B(λ_k + t_k(x)) ]
 * </pre>
 * which is −log p(x) up to log Z, because the joint energy integrates over z in closed form:
 * the posterior p(z | x) is Gaussian with natural parameters λ + t(x).
 */
public final class GaussianCebm extends EncoderModel {
    private final Variable lambda1;
    private final Variable lambda2;
    /** B(λ) summed over the latent dimensions, {@code [1]}. */
    private final Variable priorLogNormalizer;

    public GaussianCebm(Architecture arch, int latent, long seed) {
        super(arch, latent, new RandomStream(seed), 2);
        lambda1 = params.addConstant(Tensors.zeros(1, latent));
        lambda2 = params.addConstant(Tensors.full(-0.5f, 1, latent));
        try (GradMode.Scope off = GradMode.disabled()) {
            Variable zeros = Variable.constant(Tensors.zeros(1, latent));
            priorLogNormalizer = params.addConstant(LogNormalizer.apply(zeros, zeros, lambda1, lambda2).value().reshape(1));
        }
    }

    // region energy (quoted in docs/energy-based-models.md)
    @Override
    public Variable energy(Variable x) {
        Encoder.Statistics t = encoder.statistics(x);
        Variable posterior = LogNormalizer.apply(t.t1(), t.t2(), lambda1, lambda2); // [B,1]
        return Sub.apply(priorLogNormalizer, Reshape.apply(posterior, -1));
    }
    // endregion

    @Override
    public Posterior posterior(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Encoder.Statistics t = encoder.statistics(Variable.constant(x));
            Tensor l1 = Ops.add(t.t1().value(), lambda1.value());
            Tensor l2 = Ops.add(t.t2().value(), lambda2.value());
            return new Posterior(NaturalGaussian.mean(l1, l2), NaturalGaussian.std(l2), null);
        }
    }

    @Override
    public String kind() {
        return "cebm";
    }
}
