package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code a − b} with broadcasting. ∂/∂a = 1, ∂/∂b = −1. */
public final class Sub extends Function {
    public static Variable apply(Variable a, Variable b) {
        return new Sub().record(Ops.sub(a.value(), b.value()), a, b);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {g, needsGrad(1) ? Ops.neg(g) : null};
    }
}
