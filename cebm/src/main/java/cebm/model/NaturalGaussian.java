package cebm.model;

import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/**
 * Conversions between a 1-D Gaussian's natural parameters (λ1, λ2) = (μ/σ², −1/(2σ²)) and its
 * mean and standard deviation (spec §1): μ = −λ1/(2λ2), σ² = −1/(2λ2).
 */
public final class NaturalGaussian {
    private NaturalGaussian() {}

    public static Tensor mean(Tensor lambda1, Tensor lambda2) {
        return Ops.div(Ops.neg(lambda1), Ops.mul(lambda2, 2f));
    }

    public static Tensor std(Tensor lambda2) {
        return Ops.sqrt(Ops.div(Tensors.scalar(-0.5f), lambda2));
    }
}
