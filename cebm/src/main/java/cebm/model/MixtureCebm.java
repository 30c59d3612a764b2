package cebm.model;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.autograd.ops.Exp;
import cebm.autograd.ops.MixtureLogNormalizer;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Sub;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;

import java.util.Optional;

/**
 * The GMM-CEBM (spec §1): the bias is a uniform mixture of L spherical Gaussians with means
 * m_l and standard deviations σ_l = exp(logStd_l), and
 * <pre>
 *   s_l(x) = Σ_k [ B(λ_{l,k} + t_k(x)) − B(λ_{l,k}) ],   E(x) = log L − logsumexp_l s_l(x),
 *   p(y = l | x) = softmax_l s_l(x).
 * </pre>
 * As in the authors' code the components are parameterised by mean and log-std (initialised
 * mean ~ N(0, 1), log-std = 0) and turned into natural parameters λ1 = m/σ², λ2 = −1/(2σ²)
 * inside the graph, so that they can be learned.
 */
public final class MixtureCebm extends EncoderModel {
    private final Variable means;
    private final Variable logStds;
    private final int components;

    public MixtureCebm(Architecture arch, int latent, int components, boolean learnBias, long seed) {
        this(arch, latent, components, learnBias, new RandomStream(seed));
    }

    /** The encoder's weights come first from the stream, then the component means. */
    private MixtureCebm(Architecture arch, int latent, int components, boolean learnBias, RandomStream random) {
        super(arch, latent, random, 2);
        this.components = components;
        Tensor m = random.normal(CpuBackend.INSTANCE, 0f, 1f, components, latent);
        Tensor s = Tensors.zeros(components, latent);
        if (learnBias) {
            means = params.add("prior.means", m);
            logStds = params.add("prior.log_stds", s);
        } else {
            means = params.addConstant(m);
            logStds = params.addConstant(s);
        }
    }

    /** λ1 = m·e^(−2 logσ), λ2 = −½·e^(−2 logσ), both {@code [L,K]}. */
    private Variable[] naturalParameters() {
        Variable precision = Exp.apply(Mul.apply(logStds, -2f));
        return new Variable[] {Mul.apply(means, precision), Mul.apply(precision, -0.5f)};
    }

    @Override
    public Variable energy(Variable x) {
        Encoder.Statistics t = encoder.statistics(x);
        Variable[] lambda = naturalParameters();
        Variable logSum = MixtureLogNormalizer.apply(t.t1(), t.t2(), lambda[0], lambda[1]);
        return Sub.apply(Variable.constant(Tensors.scalar((float) Math.log(components))), logSum);
    }

    @Override
    public Posterior posterior(Tensor x) {
        GaussianMixture q = mixture(x);
        Tensor[] best = q.mostProbable();
        return new Posterior(best[0], best[1], q.weights());
    }

    @Override
    public Optional<GaussianMixture> posteriorMixture(Tensor x) {
        return Optional.of(mixture(x));
    }

    /**
     * q(z | x) = Σ_l p(y = l | x) N(z; λ_l + t(x)): every component updated by the conjugate rule,
     * weighted by the softmax over l of {@code s_l(x) = Σ_k B(λ_l + t(x)) − B(λ_l)}.
     */
    private GaussianMixture mixture(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Encoder.Statistics t = encoder.statistics(Variable.constant(x));
            Variable[] lambda = naturalParameters();
            Tensor l1 = lambda[0].value(), l2 = lambda[1].value();
            Tensor t1 = t.t1().value(), t2 = t.t2().value();
            Tensor scores = Ops.sub(l1.backend().logNormalizer(t1, t2, l1, l2), priorLogNormalizers(l1, l2));
            int b = t1.size(0), k = encoder.latent();
            Tensor a1 = Ops.add(t1.reshape(b, 1, k), l1.reshape(1, components, k));
            Tensor a2 = Ops.add(t2.reshape(b, 1, k), l2.reshape(1, components, k));
            return GaussianMixture.ofNatural(Ops.softmax(scores, 1), a1, a2);
        }
    }

    /**
     * The uniform mixture of the L Gaussians, means m_l and standard deviations σ_l = exp(logStd_l),
     * as copies (changing them changes nothing in the model).
     */
    @Override
    public Optional<GaussianMixture> bias() {
        int k = encoder.latent();
        Tensor m = means.value();
        return Optional.of(new GaussianMixture(m.backend().full(1f / components, 1, components),
                m.backend().copy(m).reshape(1, components, k), Ops.exp(logStds.value()).reshape(1, components, k)));
    }

    private Tensor priorLogNormalizers(Tensor l1, Tensor l2) {
        Tensor zeros = l1.backend().full(0f, 1, encoder.latent());
        return l1.backend().logNormalizer(zeros, zeros, l1, l2).reshape(1, components);
    }

    @Override
    public String kind() {
        return "gmm-cebm";
    }
}
