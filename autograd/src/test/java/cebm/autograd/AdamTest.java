package cebm.autograd;

import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Sum;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AdamTest {
    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstTheGradientSign() {
        // After one step m̂ = g and v̂ = g², so the update is lr·g/(|g| + ε) ≈ lr·sign(g).
        Variable p = Variable.parameter(Tensors.of(new float[] {1f, -2f}, 2));
        Adam adam = new Adam(List.of(p));
        Sum.apply(Mul.apply(p, Variable.constant(Tensors.of(new float[] {3f, -0.5f}, 2)))).backward();
        adam.step(0.1f);
        float[] v = p.value().toArray();
        assertEquals(0.9f, v[0], 1e-6f);
        assertEquals(-1.9f, v[1], 1e-6f);
        assertNull(p.grad(), "step clears the gradients");
    }

    @Test
    void secondStepFollowsTheBiasCorrectedMoments() {
        Variable p = Variable.parameter(Tensors.of(new float[] {0f}, 1));
        Adam adam = new Adam(List.of(p), 0.9f, 0.999f, 0f);
        float[] grads = {1f, 3f};
        for (float g : grads) {
            Sum.apply(Mul.apply(p, g)).backward();
            adam.step(0.01f);
        }
        // by hand: m2 = 0.9·0.1 + 0.1·3 = 0.39, v2 = 0.999·0.001 + 0.001·9 = 0.009999
        double m = 0.39 / (1 - 0.81), v = 0.009999 / (1 - 0.998001);
        double expected = -0.01 - 0.01 * m / Math.sqrt(v);
        assertEquals(expected, p.value().toArray()[0], 1e-6);
    }
}
