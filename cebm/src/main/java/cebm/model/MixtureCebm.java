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

    /**
     * The bias's components, as copies (changing them changes nothing in the model): means m_l and
     * standard deviations σ_l = exp(logStd_l), both {@code [L,K]}; the weights are uniform, 1/L.
     */
    public Components biasComponents() {
        return new Components(means.value().backend().copy(means.value()), Ops.exp(logStds.value()));
    }

    /** Means and standard deviations of the L Gaussians of the bias, {@code [L,K]} each. */
    public record Components(Tensor means, Tensor stds) {}

    /**
     * The whole posterior of each image, a mixture: {@code p(z | x) = Σ_l p(y=l | x) N(z; μ̃_l, σ̃_l²)}
     * with the conjugate update of every component, {@code λ̃_l = λ_l + t(x)}.
     *
     * @return means and stds {@code [B,L,K]}, responsibilities p(y = l | x) {@code [B,L]}
     */
    public ComponentPosteriors componentPosteriors(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Encoder.Statistics t = encoder.statistics(Variable.constant(x));
            Variable[] lambda = naturalParameters();
            Tensor l1 = lambda[0].value(), l2 = lambda[1].value();
            Tensor t1 = t.t1().value(), t2 = t.t2().value();
            Tensor scores = Ops.sub(l1.backend().logNormalizer(t1, t2, l1, l2), priorLogNormalizers(l1, l2));
            int b = t1.size(0), k = encoder.latent();
            float[] a1 = t1.toArray(), a2 = t2.toArray(), p1 = l1.toArray(), p2 = l2.toArray();
            float[] mean = new float[b * components * k], std = new float[b * components * k];
            for (int i = 0; i < b; i++) {
                for (int l = 0; l < components; l++) {
                    for (int j = 0; j < k; j++) {
                        double n1 = a1[i * k + j] + p1[l * k + j], n2 = a2[i * k + j] + p2[l * k + j];
                        int o = (i * components + l) * k + j;
                        mean[o] = (float) (-n1 / (2 * n2));
                        std[o] = (float) Math.sqrt(-0.5 / n2);
                    }
                }
            }
            return new ComponentPosteriors(Tensors.of(mean, b, components, k), Tensors.of(std, b, components, k),
                    Ops.softmax(scores, 1));
        }
    }

    /** Per-component posteriors: means and stds {@code [B,L,K]}, responsibilities {@code [B,L]}. */
    public record ComponentPosteriors(Tensor means, Tensor stds, Tensor responsibilities) {}

    private Tensor priorLogNormalizers(Tensor l1, Tensor l2) {
        Tensor zeros = l1.backend().full(0f, 1, encoder.latent());
        return l1.backend().logNormalizer(zeros, zeros, l1, l2).reshape(1, components);
    }

    @Override
    public String kind() {
        return "gmm-cebm";
    }
}
