package cebm.autograd;

import cebm.autograd.ops.Add;
import cebm.autograd.ops.Conv2dSwish;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Sum;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TapeTest {
    private final Inputs in = new Inputs(3);

    @Test
    void aVariableUsedTwiceReceivesBothGradients() {
        Variable x = Variable.parameter(Tensors.of(new float[] {3f}, 1));
        Variable y = Sum.apply(Add.apply(Mul.apply(x, x), x)); // y = x² + x, dy/dx = 2x + 1 = 7
        y.backward();
        assertArrayEquals(new float[] {7f}, x.grad().toArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Variable x = Variable.parameter(Tensors.of(new float[] {1f, 2f}, 2));
        Sum.apply(Mul.apply(x, 2f)).backward();
        Sum.apply(Mul.apply(x, 3f)).backward();
        assertArrayEquals(new float[] {5f, 5f}, x.grad().toArray());
    }

    @Test
    void gradientWithRespectToTheInputOnlyLeavesParametersUntouched() {
        Variable x = Variable.parameter(in.uniform(2, 1, 6, 6));
        Variable w = Variable.parameter(in.uniform(3, 1, 3, 3));
        Variable b = Variable.parameter(in.uniform(3));
        Variable energy = Sum.apply(Conv2dSwish.apply(x, w, b, 1, 1), 1, 2, 3);
        Tensor[] dx = Tape.gradient(energy, x);
        assertArrayEquals(new int[] {2, 1, 6, 6}, dx[0].shape());
        assertNull(w.grad());
        assertNull(b.grad());
        assertNull(x.grad(), "Tape.gradient returns gradients; it does not accumulate them");
    }

    @Test
    void theGraphIsFreedAfterBackward() {
        Variable x = Variable.parameter(in.uniform(4));
        Variable hidden = Mul.apply(x, x);
        Variable y = Sum.apply(hidden);
        y.backward();
        assertTrue(hidden.isLeaf() && y.isLeaf(), "intermediate nodes no longer reference their ops");
    }

    @Test
    void noGradScopeRecordsNothing() {
        Variable x = Variable.parameter(in.uniform(4));
        Variable y;
        try (GradMode.Scope off = GradMode.disabled()) {
            y = Mul.apply(x, x);
        }
        assertFalse(y.requiresGrad());
        assertTrue(GradMode.isEnabled(), "the scope restores recording");
    }

    @Test
    void backwardNeedsAScalar() {
        Variable x = Variable.parameter(in.uniform(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mul.apply(x, x).backward());
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void sameSeedGivesBitIdenticalGradients() {
        assertArrayEquals(convGradient(11), convGradient(11));
    }

    private static float[] convGradient(long seed) {
        Inputs inputs = new Inputs(seed);
        Variable x = Variable.parameter(inputs.uniform(4, 2, 7, 7));
        Variable w = Variable.parameter(inputs.uniform(3, 2, 4, 4));
        Variable b = Variable.parameter(inputs.uniform(3));
        Sum.apply(Conv2dSwish.apply(x, w, b, 2, 1)).backward();
        float[] all = new float[x.grad().numel() + w.grad().numel()];
        System.arraycopy(x.grad().toArray(), 0, all, 0, x.grad().numel());
        System.arraycopy(w.grad().toArray(), 0, all, x.grad().numel(), w.grad().numel());
        return all;
    }
}
