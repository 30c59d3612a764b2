package cebm.model;

import cebm.autograd.Variable;
import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's named parameters, in creation order, and its constants (fixed tensors such as the
 * CEBM's bias λ, PyTorch's "buffers"). Names follow PyTorch's ({@code conv0.weight},
 * {@code head1.bias}, …) so that checkpoints are read by other tools.
 *
 * <p>Models are built on the CPU, where the seeded initialisation is drawn, and then moved
 * whole to the backend they run on with {@link #moveTo}.
 */
public final class Parameters {
    private final Map<String, Variable> byName = new LinkedHashMap<>();
    private final List<Variable> constants = new ArrayList<>();

    /** Adds a parameter; returns it for use in the model. */
    public Variable add(String name, Tensor value) {
        if (byName.containsKey(name)) throw new IllegalArgumentException("duplicate parameter name " + name);
        Variable v = Variable.parameter(value);
        byName.put(name, v);
        return v;
    }

    /**
     * Adds a fixed tensor of the model: never trained and not saved in checkpoints (the model
     * rebuilds it from its configuration), but moved with the parameters.
     */
    public Variable addConstant(Tensor value) {
        Variable v = Variable.constant(value);
        constants.add(v);
        return v;
    }

    /**
     * Moves every parameter and constant to {@code backend}, keeping names, order and the
     * variables themselves (so the layers that hold them follow); nothing is copied when they are
     * already there. Move before creating the optimizer: Adam's moments are made where the values are.
     */
    public void moveTo(Backend backend) {
        byName.values().forEach(v -> v.moveTo(backend));
        constants.forEach(v -> v.moveTo(backend));
    }

    /** The backend the model runs on: where its parameters are. */
    public Backend backend() {
        return byName.values().iterator().next().value().backend();
    }

    /**
     * PyTorch's default initialisation of conv and linear layers: weight and bias uniform on
     * ±1/√fan_in (kaiming_uniform with a = √5 reduces to this bound), so the two engines start
     * from the same distribution.
     */
    public static Tensor fanInUniform(RandomStream random, int fanIn, int... shape) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return random.uniform(CpuBackend.INSTANCE, -bound, bound, shape);
    }

    public Map<String, Variable> asMap() {
        return Collections.unmodifiableMap(byName);
    }

    public Variable get(String name) {
        Variable v = byName.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter named " + name + "; have " + byName.keySet());
        return v;
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (Variable v : byName.values()) n += v.value().numel();
        return n;
    }

    /** Overwrites the values in place (same shapes, on whichever backend they are), e.g. from a checkpoint. */
    public void load(String name, float[] values) {
        Tensor target = get(name).value();
        if (values.length != target.numel()) {
            throw new IllegalArgumentException("parameter " + name + " has " + target.numel() + " values, got " + values.length);
        }
        target.backend().copyInto(target, Tensors.of(values, target.shape()));
    }
}
