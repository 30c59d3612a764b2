package cebm.guide;

import cebm.autograd.GraphDot;
import cebm.autograd.Variable;
import cebm.autograd.ops.Add;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Sum;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

import java.util.Arrays;

/** docs/autodiff.md, sections 1 to 4: one small expression, forward, on the tape, and backward. */
public final class TapeTour {
    private TapeTour() {}

    // region expression
    /** L = Σ (w·w + w·x), elementwise products: ∂L/∂w = 2w + x. */
    static Variable expression(Variable w, Variable x) {
        Variable h = Add.apply(Mul.apply(w, w), Mul.apply(w, x));
        return Sum.apply(h);
    }
    // endregion

    public static void main(String[] args) {
        // region forward
        Variable w = Variable.parameter(Tensors.of(new float[] {2, 3}, 2));   // a leaf whose gradient we want
        Variable x = Variable.constant(Tensors.of(new float[] {1, -2}, 2));   // data: no gradient
        Variable loss = expression(w, x);                                    // computed now: 4 + 2 + 9 − 6
        System.out.println("L = " + loss.value().item());
        // endregion

        // region backward
        GraphDot graph = GraphDot.of(loss).name(w, "w").name(x, "x").name(loss, "L");
        loss.backward(graph);                                                // the graph watches the gradients go by
        System.out.println("dL/dw = " + Arrays.toString(w.grad().toArray())); // 2w + x
        System.out.print(graph.toDot());
        // endregion
    }
}
