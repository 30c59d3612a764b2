package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * The mixture-of-Gaussians form (spec §1, GMM-CEBM), fused:
 * <pre>
 *   s[b,l] = Σ_k [ B(λ[l,k] + t[b,k]) − B(λ[l,k]) ]
 *   out[b] = logsumexp_l s[b,l]
 * </pre>
 * so that the energy is {@code E = log L − out}. Backward: the gradient of logsumexp is the
 * softmax, here the posterior responsibilities {@code r[b,l] = p(y = l | x_b)}; then
 * {@code ∂out/∂t = Σ_l r[b,l] ∇B(λ_l + t_b)} and
 * {@code ∂out/∂λ_l = Σ_b r[b,l] (∇B(λ_l + t_b) − ∇B(λ_l))}: two calls of the same batched
 * log-normalizer gradient, weighted by r.
 */
public final class MixtureLogNormalizer extends Function {
    private final Tensor t1;
    private final Tensor t2;
    private final Tensor lambda1;
    private final Tensor lambda2;
    private Tensor responsibilities;

    private MixtureLogNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        this.t1 = t1;
        this.t2 = t2;
        this.lambda1 = lambda1;
        this.lambda2 = lambda2;
    }

    public static Variable apply(Variable t1, Variable t2, Variable lambda1, Variable lambda2) {
        LogNormalizer.check(t1, t2, lambda1, lambda2);
        MixtureLogNormalizer op = new MixtureLogNormalizer(t1.value(), t2.value(), lambda1.value(), lambda2.value());
        Tensor s = op.componentScores();
        Tensor out = Ops.logSumExp(s, 1);
        op.responsibilities = Ops.exp(Ops.sub(s, Ops.unsqueeze(out, 1)));
        return op.record(out, t1, t2, lambda1, lambda2);
    }

    /** s[b,l], the log-likelihood ratio of component l for image b. */
    private Tensor componentScores() {
        Tensor posterior = t1.backend().logNormalizer(t1, t2, lambda1, lambda2);
        Tensor prior = t1.backend().logNormalizer(zeroStatistics(), zeroStatistics(), lambda1, lambda2);
        return Ops.sub(posterior, prior);
    }

    /** t = 0 turns B(λ + t) into B(λ), the prior's own log-normalizer. */
    private Tensor zeroStatistics() {
        return t1.backend().full(0f, 1, t1.size(1));
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor weights = Ops.mul(Ops.unsqueeze(g, 1), responsibilities); // [B,L]
        Tensor[] posterior = g.backend().logNormalizerGrad(weights, t1, t2, lambda1, lambda2);
        if (!needsGrad(2) && !needsGrad(3)) return new Tensor[] {posterior[0], posterior[1], null, null};
        Tensor[] prior = g.backend().logNormalizerGrad(Ops.sumKeepDims(weights, 0), zeroStatistics(), zeroStatistics(),
                lambda1, lambda2);
        return new Tensor[] {posterior[0], posterior[1], Ops.sub(posterior[2], prior[2]), Ops.sub(posterior[3], prior[3])};
    }
}
