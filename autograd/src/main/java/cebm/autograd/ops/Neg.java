package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code −a}. ∂/∂a = −1. */
public final class Neg extends Function {
    public static Variable apply(Variable a) {
        return new Neg().record(Ops.neg(a.value()), a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.neg(g)};
    }
}
