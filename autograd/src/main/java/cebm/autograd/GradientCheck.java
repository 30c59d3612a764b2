package cebm.autograd;

import cebm.autograd.ops.Mul;
import cebm.tensor.Ops;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks the tape's gradients against central differences.
 *
 * <p>The scalar compared is {@code L = Σ r ⊙ f(inputs)} with a fixed random r, so every output
 * element matters. For each input element x, {@code ∂L/∂x ≈ (L(x + h) − L(x − h)) / (2h)}. The
 * perturbation, the division and the sum over outputs are done in float64; the op itself runs in
 * float32 as it always does. So the numerical estimate carries the op's float32 rounding error
 * divided by 2h (about 1e-7·|L|/h) plus the O(h²) truncation error of central differences: with
 * h = 1e-2 both are near 1e-4 for inputs of order 1, and tolerances are set well above that.
 *
 * <p>Works on any backend and any view: the analytic pass runs on the inputs as given; each
 * perturbed input is a fresh contiguous tensor on the input's backend, so the numerical estimate
 * is of the function itself, whatever layout the op's fast paths see.
 */
public final class GradientCheck {
    private final double h;
    private final double atol;
    private final double rtol;

    public GradientCheck(double h, double atol, double rtol) {
        this.h = h;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** Returns a description of every mismatch (empty when the gradients agree). */
    public List<String> check(Function<Variable[], Variable> f, Tensor... inputs) {
        Variable[] leaves = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) leaves[i] = Variable.parameter(inputs[i]);
        Variable out = f.apply(leaves);
        Tensor weights = projectionWeights(out.value());
        Tensor[] analytic = Tape.gradient(Mul.apply(out, Variable.constant(weights)), leaves);

        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            float[] values = inputs[i].toArray();
            float[] grad = analytic[i].toArray();
            for (int e = 0; e < values.length; e++) {
                float original = values[e];
                float plus = (float) (original + h), minus = (float) (original - h);
                values[e] = plus;
                double lPlus = projected(f, replaced(inputs, i, values), weights);
                values[e] = minus;
                double lMinus = projected(f, replaced(inputs, i, values), weights);
                values[e] = original;
                // Divide by the step actually taken: x ± h rounded to float32.
                double numeric = (lPlus - lMinus) / ((double) plus - (double) minus);
                double diff = Math.abs(numeric - grad[e]);
                if (!(diff <= atol + rtol * Math.abs(numeric))) {
                    mismatches.add("input " + i + " " + Shape.show(inputs[i].shape()) + " element " + e
                            + ": analytic " + grad[e] + ", numeric " + numeric);
                }
            }
        }
        return mismatches;
    }

    /** The inputs with input {@code i} replaced by {@code values} (row-major), on its backend. */
    private static Tensor[] replaced(Tensor[] inputs, int i, float[] values) {
        Tensor[] out = inputs.clone();
        out[i] = inputs[i].backend().fromArray(values.clone(), inputs[i].shape());
        return out;
    }

    private static double projected(Function<Variable[], Variable> f, Tensor[] inputs, Tensor weights) {
        try (GradMode.Scope off = GradMode.disabled()) {
            Variable[] constants = new Variable[inputs.length];
            for (int i = 0; i < inputs.length; i++) constants[i] = Variable.constant(inputs[i]);
            float[] y = f.apply(constants).value().toArray();
            float[] r = weights.toArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) sum += (double) r[i] * y[i];
            return sum;
        }
    }

    /** Weights in [0.5, 1.5) from a fixed seed: positive, so no output cancels another by chance. */
    private static Tensor projectionWeights(Tensor out) {
        return Ops.add(out.backend().uniform(out.shape(), 0f, 1f, 0x5EED, 0), 0.5f);
    }
}
