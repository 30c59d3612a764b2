package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/** Natural logarithm. ∂/∂a = 1/a. */
public final class Log extends Function {
    private final Tensor a;

    private Log(Tensor a) {
        this.a = a;
    }

    public static Variable apply(Variable a) {
        return new Log(a.value()).record(Ops.log(a.value()), a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {Ops.div(g, a)};
    }
}
