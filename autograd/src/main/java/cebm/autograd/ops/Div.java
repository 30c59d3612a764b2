package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** {@code a / b} elementwise with broadcasting. ∂/∂a = 1/b, ∂/∂b = −a/b². */
public final class Div extends Function {
    private final Tensor a;
    private final Tensor b;

    private Div(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Div(a.value(), b.value()).record(Ops.div(a.value(), b.value()), a, b);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor ga = needsGrad(0) ? Ops.div(g, b) : null;
        Tensor gb = needsGrad(1) ? Ops.neg(Ops.div(Ops.mul(g, a), Ops.square(b))) : null;
        return new Tensor[] {ga, gb};
    }
}
