package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/** σ(a) = 1/(1 + e^−a). ∂/∂a = σ(a)·(1 − σ(a)), from the saved output. */
public final class Sigmoid extends Function {
    private Tensor out;

    public static Variable apply(Variable a) {
        Sigmoid op = new Sigmoid();
        op.out = Ops.sigmoid(a.value());
        return op.record(op.out, a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor oneMinus = Ops.sub(Tensors.scalar(1f), out);
        return new Tensor[] {Ops.mul(g, Ops.mul(out, oneMinus))};
    }
}
