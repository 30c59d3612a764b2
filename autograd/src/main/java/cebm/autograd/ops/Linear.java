package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * A fully connected layer {@code y = x·Wᵀ + b}: x {@code [B,in]}, W {@code [out,in]} (PyTorch's
 * layout, so checkpoints are interchangeable), b {@code [out]}.
 * ∂L/∂x = g·W, ∂L/∂W = gᵀ·x, ∂L/∂b = Σ_batch g.
 */
public final class Linear extends Function {
    private final Tensor x;
    private final Tensor weight;

    private Linear(Tensor x, Tensor weight) {
        this.x = x;
        this.weight = weight;
    }

    public static Variable apply(Variable x, Variable weight, Variable bias) {
        Tensor y = Ops.linear(x.value(), weight.value(), bias.value());
        return new Linear(x.value(), weight.value()).record(y, x, weight, bias);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        Tensor gx = needsGrad(0) ? Ops.matmul(g, weight) : null;
        Tensor gw = needsGrad(1) ? Ops.matmul(g.transpose(0, 1), x) : null;
        Tensor gb = needsGrad(2) ? Ops.sum(g, 0) : null;
        return new Tensor[] {gx, gw, gb};
    }
}
