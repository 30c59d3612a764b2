package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/** {@code a · b} elementwise with broadcasting. ∂/∂a = b, ∂/∂b = a. */
public final class Mul extends Function {
    private final Tensor a;
    private final Tensor b;

    private Mul(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Mul(a.value(), b.value()).record(Ops.mul(a.value(), b.value()), a, b);
    }

    /** {@code a · c} for a constant c. */
    public static Variable apply(Variable a, float c) {
        return apply(a, Variable.constant(Tensors.scalar(c)));
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {needsGrad(0) ? Ops.mul(g, b) : null, needsGrad(1) ? Ops.mul(g, a) : null};
    }
}
