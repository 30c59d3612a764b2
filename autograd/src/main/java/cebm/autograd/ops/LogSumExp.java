package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * {@code log Σ_i exp(a_i)} along one dimension (removed). ∂/∂a_i = exp(a_i − out) = softmax(a)_i.
 */
public final class LogSumExp extends Function {
    private final Tensor a;
    private final int dim;
    private Tensor out;

    private LogSumExp(Tensor a, int dim) {
        this.a = a;
        this.dim = dim;
    }

    public static Variable apply(Variable a, int dim) {
        int d = cebm.tensor.Shape.axis("logsumexp", dim, a.value().rank());
        LogSumExp op = new LogSumExp(a.value(), d);
        op.out = Ops.logSumExp(a.value(), d);
        return op.record(op.out, a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor softmax = Ops.exp(Ops.sub(a, Ops.unsqueeze(out, dim)));
        return new Tensor[] {Ops.mul(Ops.unsqueeze(g, dim), softmax)};
    }
}
