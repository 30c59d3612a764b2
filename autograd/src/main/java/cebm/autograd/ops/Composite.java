package cebm.autograd.ops;

import cebm.autograd.Variable;

/**
 * Ops built from other ops. They need no backward of their own: the tape differentiates the
 * primitives they are made of.
 */
public final class Composite {
    private Composite() {}

    /** Mean over the given dimensions (all if none). */
    public static Variable mean(Variable a, int... dims) {
        Variable s = Sum.apply(a, dims);
        return Mul.apply(s, (float) s.value().numel() / a.value().numel());
    }

    /** softmax(a) = exp(a − logsumexp(a)) along {@code dim}. */
    public static Variable softmax(Variable a, int dim) {
        int d = dim < 0 ? dim + a.shape().length : dim;
        int[] kept = a.shape();
        kept[d] = 1;
        return Exp.apply(Sub.apply(a, Reshape.apply(LogSumExp.apply(a, d), kept)));
    }
}
