package cebm.autograd;

import cebm.autograd.ops.Add;
import cebm.autograd.ops.Conv2d;
import cebm.autograd.ops.Conv2dSwish;
import cebm.autograd.ops.Div;
import cebm.autograd.ops.Log;
import cebm.autograd.ops.LogNormalizer;
import cebm.autograd.ops.LogSumExp;
import cebm.autograd.ops.MixtureLogNormalizer;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Neg;
import cebm.autograd.ops.Reshape;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.autograd.ops.Sum;
import cebm.autograd.ops.Swish;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

/**
 * The fused ops equal the same computation composed from primitive ops, in value and in every
 * gradient. Tolerance 1e-5 relative: both sides run in float32 and differ only in the order of
 * operations (the fused log-normalizer accumulates in float64), so they agree to a few ulps.
 */
class FusedOpsTest {
    private static final double TOLERANCE = 1e-5;
    private final Inputs in = new Inputs(7);

    @Test
    void conv2dSwishEqualsSwishOfConv2d() {
        assertSame(v -> Conv2dSwish.apply(v[0], v[1], v[2], 2, 1),
                v -> Swish.apply(Conv2d.apply(v[0], v[1], v[2], 2, 1)),
                in.uniform(3, 4, 9, 9), in.uniform(5, 4, 4, 4), in.uniform(5));
        assertSame(v -> Conv2dSwish.apply(v[0], v[1], v[2], 1, 1),
                v -> Swish.apply(Conv2d.apply(v[0], v[1], v[2], 1, 1)),
                in.uniform(1, 1, 28, 28), in.uniform(8, 1, 3, 3), in.uniform(8));
    }

    /**
     * With the weights and bias constant, as in the SGLD loop, the backward pass asks the backend
     * for the input gradient alone ({@link cebm.tensor.Backend#conv2dSwishInputGrad}), which on the
     * CPU computes Swish's backward pass on the fly for a one-channel 3×3 layer.
     */
    @Test
    void conv2dSwishInputGradientAloneEqualsSwishOfConv2d() {
        Tensor x = in.uniform(2, 1, 28, 28), w = in.uniform(8, 1, 3, 3), b = in.uniform(8);
        for (int stride : new int[] {1, 2}) {
            Variable xFused = Variable.parameter(x), xComposed = Variable.parameter(x);
            Variable fused = Conv2dSwish.apply(xFused, Variable.constant(w), Variable.constant(b), stride, 1);
            Variable composed = Swish.apply(Conv2d.apply(xComposed, Variable.constant(w), Variable.constant(b), stride, 1));
            Tensor gFused = Tape.gradient(Sum.apply(fused), xFused)[0];
            Tensor gComposed = Tape.gradient(Sum.apply(composed), xComposed)[0];
            Compare.assertClose("input gradient, stride " + stride, gFused, gComposed, TOLERANCE);
        }
    }

    @Test
    void gaussianLogNormalizerEqualsComposedFormula() {
        assertSame(v -> LogNormalizer.apply(v[0], v[1], v[2], v[3]),
                v -> composedLogNormalizer(v[0], v[1], v[2], v[3]),
                in.uniform(6, 16), in.negative(6, 16), in.uniform(1, 16), in.negative(1, 16));
    }

    @Test
    void mixtureLogNormalizerEqualsComposedLogSumExp() {
        assertSame(v -> MixtureLogNormalizer.apply(v[0], v[1], v[2], v[3]),
                v -> {
                    Variable posterior = composedLogNormalizer(v[0], v[1], v[2], v[3]);
                    Variable zeros = Variable.constant(Tensors.zeros(1, v[0].shape()[1]));
                    Variable prior = composedLogNormalizer(zeros, zeros, v[2], v[3]);
                    return LogSumExp.apply(Sub.apply(posterior, prior), 1);
                },
                in.uniform(4, 8), in.negative(4, 8), in.uniform(10, 8), in.negative(10, 8));
    }

    /**
     * Σ_k B(λ[l,k] + t[b,k]) from primitives: t as [B,1,K] and λ as [1,L,K] broadcast to [B,L,K],
     * then B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2), summed over k.
     */
    static Variable composedLogNormalizer(Variable t1, Variable t2, Variable lambda1, Variable lambda2) {
        int b = t1.shape()[0], k = t1.shape()[1], l = lambda1.shape()[0];
        Variable a1 = Add.apply(Reshape.apply(t1, b, 1, k), Reshape.apply(lambda1, 1, l, k));
        Variable a2 = Add.apply(Reshape.apply(t2, b, 1, k), Reshape.apply(lambda2, 1, l, k));
        Variable quadratic = Neg.apply(Div.apply(Square.apply(a1), Mul.apply(a2, 4f)));
        Variable logTerm = Mul.apply(Log.apply(Mul.apply(a2, -2f)), 0.5f);
        return Sum.apply(Sub.apply(quadratic, logTerm), 2);
    }

    private static void assertSame(Function<Variable[], Variable> fused, Function<Variable[], Variable> composed,
                                   Tensor... inputs) {
        Variable[] a = parameters(inputs), b = parameters(inputs);
        Variable outFused = fused.apply(a), outComposed = composed.apply(b);
        Compare.assertClose("value", outFused.value(), outComposed.value(), TOLERANCE);
        Tensor[] gFused = Tape.gradient(outFused, a), gComposed = Tape.gradient(outComposed, b);
        for (int i = 0; i < inputs.length; i++) {
            Compare.assertClose("gradient of input " + i, gFused[i], gComposed[i], TOLERANCE);
        }
    }

    private static Variable[] parameters(Tensor[] inputs) {
        Variable[] v = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) v[i] = Variable.parameter(inputs[i]);
        return v;
    }
}
