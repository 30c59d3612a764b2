package cebm.guide;

import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.autograd.ops.Add;
import cebm.autograd.ops.Conv2d;
import cebm.autograd.ops.Conv2dSwish;
import cebm.autograd.ops.Div;
import cebm.autograd.ops.Log;
import cebm.autograd.ops.LogNormalizer;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Neg;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.autograd.ops.Sum;
import cebm.autograd.ops.Swish;
import cebm.model.NaturalGaussian;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** docs/autodiff.md, section 7: each fused op against the same function built from primitives. */
public final class FusedOps {
    /**
     * Values and gradients must agree to 1e-5 relative (plus 1e-5 absolute near zero): the two
     * computations round differently in float32 (about 6e-8 per operation), and a few dozen
     * roundings stay far below that.
     */
    private static final double TOLERANCE = 1e-5;

    private FusedOps() {}

    public static void main(String[] args) {
        RandomStream random = new RandomStream(7);
        Tensor image = uniform(random, 2, 3, 8, 8), weight = uniform(random, 4, 3, 3, 3), bias = uniform(random, 4);

        // region conv
        Variable x1 = Variable.parameter(image), x2 = Variable.parameter(image);
        Variable w = Variable.parameter(weight), b = Variable.parameter(bias);
        Variable composed = Swish.apply(Conv2d.apply(x1, w, b, 1, 1));    // two ops on the tape
        Variable fused = Conv2dSwish.apply(x2, w, b, 1, 1);                // one op
        System.out.println("Swish(Conv2d(x)): " + opsOnTape(composed) + " ops, Conv2dSwish(x): " + opsOnTape(fused) + " op");
        System.out.println("  values agree: " + close(fused.value(), composed.value()));
        Tensor dxComposed = Tape.gradient(Sum.apply(composed), x1)[0];
        Tensor dxFused = Tape.gradient(Sum.apply(fused), x2)[0];
        System.out.println("  gradients agree: " + close(dxFused, dxComposed));
        // endregion

        Tensor statistic1 = uniform(random, 4, 5), head2 = uniform(random, 4, 5);
        // region log-normalizer
        Variable t1 = Variable.parameter(statistic1);
        Variable t2 = Variable.parameter(Ops.neg(Ops.square(head2)));      // t2 = −h², as the encoder makes it
        Variable lambda1 = Variable.constant(Tensors.zeros(1, 5));          // the prior N(0, 1) in natural parameters
        Variable lambda2 = Variable.constant(Tensors.full(-0.5f, 1, 5));
        Variable a1 = Add.apply(lambda1, t1), a2 = Add.apply(lambda2, t2);
        Variable terms = Sub.apply(Neg.apply(Div.apply(Square.apply(a1), Mul.apply(a2, 4f))),
                Mul.apply(Log.apply(Mul.apply(a2, -2f)), 0.5f));           // B(a) = −a1²/(4 a2) − ½ log(−2 a2)
        Variable composedB = Sum.apply(terms, 1);                          // Σ_k, one value per row: [4]
        Variable fusedB = LogNormalizer.apply(t1, t2, lambda1, lambda2);   // [4, 1]: one column per prior component
        System.out.println("B composed: " + opsOnTape(composedB) + " ops, LogNormalizer: " + opsOnTape(fusedB) + " op");
        System.out.println("  values agree: " + close(fusedB.value().reshape(-1), composedB.value()));
        Tensor[] gradComposed = Tape.gradient(Sum.apply(composedB), t1, t2);
        Tensor[] gradFused = Tape.gradient(Sum.apply(fusedB), t1, t2);
        System.out.println("  gradients agree: " + (close(gradFused[0], gradComposed[0]) && close(gradFused[1], gradComposed[1])));
        // The gradient of a log-normalizer is the vector of mean parameters: ∂B/∂t1 = μ̃.
        Tensor posteriorMean = NaturalGaussian.mean(a1.value(), a2.value());
        System.out.println("  dB/dt1 is the posterior mean: " + close(gradFused[0], posteriorMean));
        // endregion
    }

    // region count
    /** The ops recorded on the tape behind {@code v}: follow each result to the op that made it, then to its inputs. */
    static int opsOnTape(Variable v) {
        return count(v, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static int count(Variable v, Set<Variable> seen) {
        if (v.isLeaf() || !seen.add(v)) return 0;
        int ops = 1;
        for (Variable input : v.creator().inputs()) ops += count(input, seen);
        return ops;
    }
    // endregion

    static boolean close(Tensor actual, Tensor expected) {
        float[] a = actual.toArray(), e = expected.toArray();
        if (a.length != e.length) return false;
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= TOLERANCE * (1 + Math.abs(e[i])))) return false;
        }
        return true;
    }

    private static Tensor uniform(RandomStream random, int... shape) {
        return random.uniform(CpuBackend.INSTANCE, -1f, 1f, shape);
    }
}
