package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code √a}. ∂/∂a = 1/(2√a), from the saved output. */
public final class Sqrt extends Function {
    private Tensor out;

    public static Variable apply(Variable a) {
        Sqrt op = new Sqrt();
        op.out = Ops.sqrt(a.value());
        return op.record(op.out, a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.div(g, Ops.mul(out, 2f))};
    }
}
