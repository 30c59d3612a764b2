package cebm.guide;

import cebm.autograd.GradMode;
import cebm.autograd.GradientCheck;
import cebm.autograd.Variable;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

import java.util.List;

/** docs/autodiff.md, section 6: the tape's gradient against central differences. */
public final class FiniteDifference {
    private FiniteDifference() {}

    public static void main(String[] args) {
        // region by-hand
        double h = 1e-2;
        double slope = (loss(2 + h, 3) - loss(2 - h, 3)) / (2 * h);         // ∂L/∂w0 ≈ (L(w0 + h) − L(w0 − h)) / 2h
        System.out.printf("central difference: %.4f (the tape says 5)%n", slope);
        // endregion

        // region gradient-check
        Tensor w = Tensors.of(new float[] {2, 3}, 2), x = Tensors.of(new float[] {1, -2}, 2);
        List<String> mismatches = new GradientCheck(1e-2, 1e-3, 1e-2)      // h, atol, rtol
                .check(v -> TapeTour.expression(v[0], v[1]), w, x);         // every element of w and of x
        System.out.println("GradientCheck mismatches: " + mismatches);
        // endregion
    }

    /** L at w = (w0, w1), x = (1, −2), without recording a graph. */
    private static double loss(double w0, double w1) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Variable w = Variable.constant(Tensors.of(new float[] {(float) w0, (float) w1}, 2));
            Variable x = Variable.constant(Tensors.of(new float[] {1, -2}, 2));
            return TapeTour.expression(w, x).value().item();
        }
    }
}
