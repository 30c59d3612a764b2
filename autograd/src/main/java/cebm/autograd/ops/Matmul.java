package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * {@code C = A·B}, plain {@code [M,K]·[K,N]} or batched {@code [B,M,K]·[B,K,N]}.
 * ∂L/∂A = ∂L/∂C·Bᵀ, ∂L/∂B = Aᵀ·∂L/∂C.
 */
public final class Matmul extends Function {
    private final Tensor a;
    private final Tensor b;

    private Matmul(Tensor a, Tensor b) {
        this.a = a;
        this.b = b;
    }

    public static Variable apply(Variable a, Variable b) {
        return new Matmul(a.value(), b.value()).record(Ops.matmul(a.value(), b.value()), a, b);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor ga = needsGrad(0) ? Ops.matmul(g, b.transpose(-1, -2)) : null;
        Tensor gb = needsGrad(1) ? Ops.matmul(a.transpose(-1, -2), g) : null;
        return new Tensor[] {ga, gb};
    }
}
