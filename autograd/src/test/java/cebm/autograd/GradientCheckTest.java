package cebm.autograd;

import cebm.autograd.ops.Add;
import cebm.autograd.ops.Composite;
import cebm.autograd.ops.Conv2d;
import cebm.autograd.ops.Conv2dSwish;
import cebm.autograd.ops.Div;
import cebm.autograd.ops.Exp;
import cebm.autograd.ops.Linear;
import cebm.autograd.ops.Log;
import cebm.autograd.ops.LogNormalizer;
import cebm.autograd.ops.LogSumExp;
import cebm.autograd.ops.Matmul;
import cebm.autograd.ops.MixtureLogNormalizer;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Neg;
import cebm.autograd.ops.Permute;
import cebm.autograd.ops.Reshape;
import cebm.autograd.ops.Sigmoid;
import cebm.autograd.ops.Sqrt;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.autograd.ops.Sum;
import cebm.autograd.ops.Swish;
import cebm.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every differentiable op against central differences (see {@link GradientCheck} for the error
 * analysis). h = 1e-2; a gradient passes when |analytic − numeric| ≤ 2e-3 + 1e-2·|numeric|:
 * float32 rounding of the projected sum, divided by 2h, is ~1e-4 for these sizes, and the O(h²)
 * truncation error is of the same order for smooth ops, so 2e-3 leaves a margin of ten while a
 * wrong gradient (a missing factor, a wrong sign, a transposed index) is off by O(1).
 */
class GradientCheckTest {
    private static final GradientCheck CHECK = new GradientCheck(1e-2, 2e-3, 1e-2);
    private final Inputs in = new Inputs(42);

    private static void assertGradients(Function<Variable[], Variable> f, Tensor... inputs) {
        List<String> mismatches = CHECK.check(f, inputs);
        assertTrue(mismatches.isEmpty(), () -> mismatches.size() + " mismatches, first: "
                + String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))));
    }

    @Test
    void elementwiseBinaryOpsWithBroadcasting() {
        assertGradients(v -> Add.apply(v[0], v[1]), in.uniform(3, 4), in.uniform(4));
        assertGradients(v -> Sub.apply(v[0], v[1]), in.uniform(2, 1, 3), in.transposed(4, 3));
        assertGradients(v -> Mul.apply(v[0], v[1]), in.transposed(3, 5), in.uniform(3, 1));
        assertGradients(v -> Div.apply(v[0], v[1]), in.uniform(2, 3), in.uniform(1f, 2f, 2, 3));
    }

    @Test
    void elementwiseUnaryOps() {
        assertGradients(v -> Neg.apply(v[0]), in.transposed(3, 4));
        assertGradients(v -> Exp.apply(v[0]), in.uniform(2, 3));
        assertGradients(v -> Log.apply(v[0]), in.uniform(0.5f, 2f, 7));
        assertGradients(v -> Sqrt.apply(v[0]), in.uniform(0.5f, 2f, 2, 2));
        assertGradients(v -> Square.apply(v[0]), in.transposed(4, 2));
        assertGradients(v -> Sigmoid.apply(v[0]), in.uniform(-3f, 3f, 9));
        assertGradients(v -> Swish.apply(v[0]), in.uniform(-3f, 3f, 3, 3));
    }

    @Test
    void reductions() {
        assertGradients(v -> Sum.apply(v[0]), in.uniform(2, 3, 4));
        assertGradients(v -> Sum.apply(v[0], 0, 2), in.channelsLast(2, 3, 2, 2));
        assertGradients(v -> Sum.apply(v[0], 1), in.uniform(1, 1));
        assertGradients(v -> LogSumExp.apply(v[0], 1), in.uniform(-3f, 3f, 3, 5));
        assertGradients(v -> LogSumExp.apply(v[0], 0), in.transposed(4, 3));
        assertGradients(v -> Composite.mean(v[0], 1), in.uniform(2, 6));
        assertGradients(v -> Composite.softmax(v[0], 1), in.uniform(3, 4));
    }

    @Test
    void views() {
        assertGradients(v -> Mul.apply(Reshape.apply(v[0], 3, 4), v[1]), in.transposed(4, 3), in.uniform(3, 4));
        assertGradients(v -> Mul.apply(Permute.apply(v[0], 2, 0, 1), v[1]), in.uniform(2, 3, 4), in.uniform(4, 2, 3));
        assertGradients(v -> Square.apply(Reshape.flatten(v[0])), in.channelsLast(2, 3, 2, 2));
    }

    @Test
    void matmulAndLinear() {
        assertGradients(v -> Matmul.apply(v[0], v[1]), in.uniform(3, 4), in.transposed(4, 5));
        assertGradients(v -> Matmul.apply(v[0], v[1]), in.uniform(2, 3, 4), in.uniform(2, 4, 2));
        assertGradients(v -> Matmul.apply(v[0], v[1]), in.uniform(1, 1), in.uniform(1, 3));
        assertGradients(v -> Linear.apply(v[0], v[1], v[2]), in.uniform(3, 5), in.transposed(4, 5), in.uniform(4));
        assertGradients(v -> Linear.apply(v[0], v[1], v[2]), in.uniform(1, 2), in.uniform(3, 2), in.uniform(3));
    }

    @Test
    void convolution() {
        // stride 1, padding 1, 3×3 (the first layer of every encoder)
        assertGradients(v -> Conv2d.apply(v[0], v[1], v[2], 1, 1), in.uniform(2, 2, 5, 5), in.uniform(3, 2, 3, 3), in.uniform(3));
        // stride 2, padding 1, 4×4 (the downsampling layers), odd spatial size, non-contiguous input
        assertGradients(v -> Conv2d.apply(v[0], v[1], v[2], 2, 1), in.channelsLast(1, 3, 7, 7), in.uniform(2, 3, 4, 4), in.uniform(2));
        // no padding, batch of 1, one channel
        assertGradients(v -> Conv2d.apply(v[0], v[1], v[2], 1, 0), in.uniform(1, 1, 4, 4), in.uniform(1, 1, 2, 2), in.uniform(1));
    }

    @Test
    void fusedConvolutionSwish() {
        assertGradients(v -> Conv2dSwish.apply(v[0], v[1], v[2], 1, 1), in.uniform(2, 2, 5, 5), in.uniform(3, 2, 3, 3), in.uniform(3));
        assertGradients(v -> Conv2dSwish.apply(v[0], v[1], v[2], 2, 1), in.channelsLast(1, 3, 6, 6), in.uniform(2, 3, 4, 4), in.uniform(2));
    }

    @Test
    void logNormalizers() {
        // t2 and λ2 strictly negative, as the model guarantees (t2 = −h², λ2 = −1/(2σ²)).
        assertGradients(v -> LogNormalizer.apply(v[0], v[1], v[2], v[3]),
                in.uniform(3, 4), in.negative(3, 4), in.uniform(1, 4), in.negative(1, 4));
        assertGradients(v -> LogNormalizer.apply(v[0], v[1], v[2], v[3]),
                in.transposed(2, 5), in.negative(2, 5), in.uniform(3, 5), in.negative(3, 5));
        assertGradients(v -> MixtureLogNormalizer.apply(v[0], v[1], v[2], v[3]),
                in.uniform(3, 4), in.negative(3, 4), in.uniform(5, 4), in.negative(5, 4));
        assertGradients(v -> MixtureLogNormalizer.apply(v[0], v[1], v[2], v[3]),
                in.uniform(1, 2), in.negative(1, 2), in.uniform(1, 2), in.negative(1, 2));
    }

    /** Shapes drawn from a seeded stream: sizes 1 to 4 (size-1 dimensions included), broadcast partners, odd convolutions. */
    @Test
    void randomShapes() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(2026);
        for (int trial = 0; trial < 6; trial++) {
            int[] shape = new int[1 + r.nextInt(3)];
            for (int d = 0; d < shape.length; d++) shape[d] = 1 + r.nextInt(4);
            int[] partner = shape.clone(); // the same shape with some dimensions collapsed to 1, to broadcast
            for (int d = 0; d < partner.length; d++) if (r.nextBoolean()) partner[d] = 1;
            assertGradients(v -> Mul.apply(v[0], v[1]), in.uniform(shape), in.uniform(partner));
            assertGradients(v -> Div.apply(v[0], v[1]), in.uniform(partner), in.uniform(1f, 2f, shape));
            assertGradients(v -> Swish.apply(Sum.apply(v[0], 0)), in.uniform(shape));

            int m = 1 + r.nextInt(4), k = 1 + r.nextInt(4), n = 1 + r.nextInt(4);
            assertGradients(v -> Matmul.apply(v[0], v[1]), in.transposed(m, k), in.uniform(k, n));

            int kernel = 2 + r.nextInt(3), stride = 1 + r.nextInt(2), padding = r.nextInt(2);
            int size = kernel + r.nextInt(4), channels = 1 + r.nextInt(3), filters = 1 + r.nextInt(3);
            assertGradients(v -> Conv2dSwish.apply(v[0], v[1], v[2], stride, padding),
                    in.channelsLast(1 + r.nextInt(2), channels, size, size), in.uniform(filters, channels, kernel, kernel),
                    in.uniform(filters));
        }
    }

    @Test
    void checkerCatchesAWrongGradient() {
        // A deliberately wrong op (forward x², backward claims 3x) must be reported.
        Function<Variable[], Variable> wrong = v -> new WrongSquare().apply(v[0]);
        List<String> mismatches = CHECK.check(wrong, in.uniform(4));
        assertEquals(4, mismatches.size());
    }

    private static final class WrongSquare extends cebm.autograd.Function {
        private Tensor x;

        Variable apply(Variable a) {
            x = a.value();
            return record(cebm.tensor.Ops.square(x), a);
        }

        @Override
        public Tensor[] backward(Tensor g) {
            return new Tensor[] {cebm.tensor.Ops.mul(g, cebm.tensor.Ops.mul(x, 3f))};
        }
    }
}
