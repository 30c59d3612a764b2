package cebm.model;

import cebm.autograd.Variable;
import cebm.autograd.ops.Square;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;
import cebm.train.TrainConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.IdentityHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The device-move path on the CPU alone (the GPU moves are checked by {@code CudaEquivalenceTest}):
 * moving a model to the backend it is on copies nothing and changes nothing.
 */
class DeviceMoveTest {
    @ParameterizedTest
    @ValueSource(strings = {"cebm", "gmm-cebm", "igebm"})
    void movingToTheCpuKeepsEveryTensorAndEveryEnergy(String kind) {
        TrainConfig c = TrainConfig.preset("quick");
        c = c.with("model", kind);
        c = c.with("latent", 8);
        c = c.with("components", 3);
        EnergyModel model = c.newModel();
        Tensor x = new RandomStream(3).uniform(CpuBackend.INSTANCE, -1f, 1f, 2, 1, 28, 28);
        float[] before = model.energy(Variable.constant(x)).value().toArray();
        Map<Variable, Tensor> values = new IdentityHashMap<>();
        model.parameters().asMap().values().forEach(v -> values.put(v, v.value()));

        model.parameters().moveTo(CpuBackend.INSTANCE);

        assertSame(CpuBackend.INSTANCE, model.parameters().backend());
        values.forEach((v, t) -> assertSame(t, v.value(), "no copy when the backend is the same"));
        assertArrayEquals(before, model.energy(Variable.constant(x)).value().toArray());
    }

    @Test
    void onlyLeavesMove() {
        Variable op = Square.apply(Variable.parameter(Tensors.of(new float[] {2}, 1)));
        assertThrows(IllegalStateException.class, () -> op.moveTo(CpuBackend.INSTANCE));
    }
}
