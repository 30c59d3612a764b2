package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Tensor;

/** Reorders dimensions (a view). Backward: the gradient permuted by the inverse order. */
public final class Permute extends Function {
    private final int[] inverse;

    private Permute(int[] order) {
        inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[order[i]] = i;
    }

    public static Variable apply(Variable a, int... order) {
        Tensor out = a.value().permute(order);
        return new Permute(order).record(out, a);
    }

    public static Variable transpose(Variable a, int dim0, int dim1) {
        int[] order = new int[a.shape().length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        order[dim0] = dim1;
        order[dim1] = dim0;
        return apply(a, order);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return new Tensor[] {g.permute(inverse)};
    }
}
