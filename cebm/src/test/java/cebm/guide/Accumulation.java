package cebm.guide;

import cebm.autograd.Variable;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

import java.util.Arrays;

/** docs/autodiff.md, section 5: gradients add up, within one backward pass and across passes. */
public final class Accumulation {
    private Accumulation() {}

    public static void main(String[] args) {
        // region accumulate
        Variable w = Variable.parameter(Tensors.of(new float[] {2, 3}, 2));
        Variable x = Variable.constant(Tensors.of(new float[] {1, -2}, 2));
        TapeTour.expression(w, x).backward();
        System.out.println("after one pass:  " + Arrays.toString(w.grad().toArray()));
        TapeTour.expression(w, x).backward();                               // a new graph, the same leaf
        System.out.println("after two passes: " + Arrays.toString(w.grad().toArray()));
        w.zeroGrad();                                                       // what Adam.step does after updating
        System.out.println("after zeroGrad:  " + w.grad());
        // endregion
    }
}
