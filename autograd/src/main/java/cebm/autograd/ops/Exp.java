package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code e^a}. ∂/∂a = e^a, which is the output: saved instead of recomputed. */
public final class Exp extends Function {
    private Tensor out;

    public static Variable apply(Variable a) {
        Exp op = new Exp();
        op.out = Ops.exp(a.value());
        return op.record(op.out, a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.mul(g, out)};
    }
}
