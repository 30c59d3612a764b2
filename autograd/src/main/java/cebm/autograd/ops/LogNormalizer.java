package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;

/**
 * The batched conjugate log-normalizer (spec §1), fused:
 * {@code out[b,l] = Σ_k B(λ1[l,k] + t1[b,k], λ2[l,k] + t2[b,k])},
 * {@code B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2)}.
 *
 * <p>Shapes: t1, t2 {@code [B,K]} (the encoder's sufficient statistics); λ1, λ2 {@code [L,K]}
 * (the bias's natural parameters; L = 1 for the spherical Gaussian); out {@code [B,L]}.
 *
 * <p>Why fused, and why the backward is cheap: the gradient of a log-normalizer is the vector of
 * mean parameters, {@code ∂B/∂a1 = μ̃ = −a1/(2a2)} and {@code ∂B/∂a2 = μ̃² + σ̃²} with
 * {@code σ̃² = −1/(2a2)}. One pass over the B·L·K pairs yields them, instead of the eight
 * primitive ops (and their saved intermediates) of the composed formula.
 */
public final class LogNormalizer extends Function {
    private final Tensor t1;
    private final Tensor t2;
    private final Tensor lambda1;
    private final Tensor lambda2;

    private LogNormalizer(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        this.t1 = t1;
        this.t2 = t2;
        this.lambda1 = lambda1;
        this.lambda2 = lambda2;
    }

    public static Variable apply(Variable t1, Variable t2, Variable lambda1, Variable lambda2) {
        check(t1, t2, lambda1, lambda2);
        Tensor out = t1.value().backend().logNormalizer(t1.value(), t2.value(), lambda1.value(), lambda2.value());
        return new LogNormalizer(t1.value(), t2.value(), lambda1.value(), lambda2.value())
                .record(out, t1, t2, lambda1, lambda2);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return g.backend().logNormalizerGrad(g, t1, t2, lambda1, lambda2);
    }

    static void check(Variable t1, Variable t2, Variable lambda1, Variable lambda2) {
        int[] s1 = t1.shape(), s2 = t2.shape(), l1 = lambda1.shape(), l2 = lambda2.shape();
        boolean ok = s1.length == 2 && java.util.Arrays.equals(s1, s2) && l1.length == 2
                && java.util.Arrays.equals(l1, l2) && l1[1] == s1[1];
        if (!ok) {
            throw new IllegalArgumentException("logNormalizer: expected t1, t2 [B,K] and λ1, λ2 [L,K], got t1 "
                    + Shape.show(s1) + ", t2 " + Shape.show(s2) + ", λ1 " + Shape.show(l1) + ", λ2 " + Shape.show(l2));
        }
    }
}
