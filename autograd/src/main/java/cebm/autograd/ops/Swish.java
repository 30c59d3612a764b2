package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** swish(a) = a·σ(a). ∂/∂a = σ(a)·(1 + a·(1 − σ(a))). */
public final class Swish extends Function {
    private final Tensor a;

    private Swish(Tensor a) {
        this.a = a;
    }

    public static Variable apply(Variable a) {
        return new Swish(a.value()).record(Ops.swish(a.value()), a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {g.backend().swishBackward(g, a)};
    }
}
