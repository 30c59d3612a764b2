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
import cebm.tensor.cpu.CpuBackend;

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
public final class MixtureCebm implements EnergyModel {
    private final Parameters params = new Parameters();
    private final Encoder encoder;
    private final Variable means;
    private final Variable logStds;
    private final int components;

    public MixtureCebm(Architecture arch, int latent, int components, boolean learnBias, long seed) {
        RandomStream random = new RandomStream(seed);
        encoder = new Encoder(arch, latent, params, random, 2);
        this.components = components;
        Tensor m = random.normal(CpuBackend.INSTANCE, 0f, 1f, components, latent);
        Tensor s = Tensor.zeros(components, latent);
        if (learnBias) {
            means = params.add("prior.means", m);
            logStds = params.add("prior.log_stds", s);
        } else {
            means = Variable.constant(m);
            logStds = Variable.constant(s);
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
        return Sub.apply(Variable.constant(Tensor.scalar((float) Math.log(components))), logSum);
    }

    @Override
    public Posterior posterior(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Encoder.Statistics t = encoder.statistics(Variable.constant(x));
            Variable[] lambda = naturalParameters();
            Tensor l1 = lambda[0].value(), l2 = lambda[1].value();
            // s[b,l] = Σ_k B(λ_l + t_b) − B(λ_l); the responsibilities are its softmax over l.
            Tensor scores = Ops.sub(l1.backend().logNormalizer(t.t1().value(), t.t2().value(), l1, l2),
                    priorLogNormalizers(l1, l2));
            float[] best = Ops.argmax(scores, 1).toArray();
            int[] component = new int[best.length];
            for (int i = 0; i < best.length; i++) component[i] = (int) best[i];
            // The latent is the posterior of the most probable component: λ_{l*} + t.
            Tensor a1 = Ops.add(t.t1().value(), l1.backend().gatherRows(l1, component));
            Tensor a2 = Ops.add(t.t2().value(), l2.backend().gatherRows(l2, component));
            return new Posterior(NaturalGaussian.mean(a1, a2), NaturalGaussian.std(a2), Ops.softmax(scores, 1));
        }
    }

    private Tensor priorLogNormalizers(Tensor l1, Tensor l2) {
        Tensor zeros = Tensor.zeros(1, encoder.latent());
        return l1.backend().logNormalizer(zeros, zeros, l1, l2).reshape(1, components);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Architecture architecture() {
        return encoder.architecture();
    }

    @Override
    public String kind() {
        return "gmm-cebm";
    }
}
