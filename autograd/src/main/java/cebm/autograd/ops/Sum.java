package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * Sum over the given dimensions (all if none), which are removed. Backward: every input element
 * contributed once, so the gradient is the output gradient copied back over the summed dimensions.
 */
public final class Sum extends Function {
    private final int[] inputShape;
    private final int[] dims;

    private Sum(int[] inputShape, int[] dims) {
        this.inputShape = inputShape;
        this.dims = dims;
    }

    public static Variable apply(Variable a, int... dims) {
        return new Sum(a.shape(), dims).record(Ops.sum(a.value(), dims), a);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        int[] kept = inputShape.clone();
        if (dims.length == 0) java.util.Arrays.fill(kept, 1);
        for (int d : dims) kept[cebm.tensor.Shape.axis("sum", d, kept.length)] = 1;
        return new Tensor[] {g.reshape(kept).expand(inputShape)};
    }
}
