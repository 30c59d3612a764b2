package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Tensor;

/** The same elements in a new shape (a view when possible). Backward: the gradient reshaped back. */
public final class Reshape extends Function {
    private final int[] inputShape;

    private Reshape(int[] inputShape) {
        this.inputShape = inputShape;
    }

    public static Variable apply(Variable a, int... shape) {
        return new Reshape(a.shape()).record(a.value().reshape(shape), a);
    }

    /** Keeps dimension 0 (the batch) and flattens the rest: {@code [N, C, H, W] → [N, C·H·W]}. */
    public static Variable flatten(Variable a) {
        return apply(a, a.shape()[0], -1);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {g.reshape(inputShape)};
    }
}
