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

import java.util.Optional;

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
        Tensor[] q = mixture(x).mostProbable();
        return new Posterior(q[0], q[1], null);
    }

    @Override
    public Optional<GaussianMixture> posteriorMixture(Tensor x) {
        return Optional.of(mixture(x));
    }

    /** q(z | x) = N with natural parameters λ + t(x), as mixtures of one component. */
    private GaussianMixture mixture(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Encoder.Statistics t = encoder.statistics(Variable.constant(x));
            return oneComponent(Ops.add(t.t1().value(), lambda1.value()), Ops.add(t.t2().value(), lambda2.value()));
        }
    }

    /** p(z) = N(0, I), from its natural parameters λ = (0, −½). */
    @Override
    public Optional<GaussianMixture> bias() {
        return Optional.of(oneComponent(lambda1.value(), lambda2.value()));
    }

    /** Rows of natural parameters {@code [N,K]} as N mixtures of one component of weight 1. */
    private static GaussianMixture oneComponent(Tensor a1, Tensor a2) {
        int n = a1.size(0), k = a1.size(1);
        return GaussianMixture.ofNatural(a1.backend().full(1f, n, 1), a1.reshape(n, 1, k), a2.reshape(n, 1, k));
    }

    @Override
    public String kind() {
        return "cebm";
    }
}
