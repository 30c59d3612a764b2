package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code a²}. ∂/∂a = 2a. */
public final class Square extends Function {
    private final Tensor a;

    private Square(Tensor a) {
        this.a = a;
    }

    public static Variable apply(Variable a) {
        return new Square(a.value()).record(Ops.square(a.value()), a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.mul(g, Ops.mul(a, 2f))};
    }
}
