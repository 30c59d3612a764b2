package cebm.model;

import cebm.autograd.Variable;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's named parameters, in creation order. Names follow PyTorch's ({@code conv0.weight},
 * {@code head1.bias}, …) so that checkpoints are read by other tools.
 */
public final class Parameters {
    private final Map<String, Variable> byName = new LinkedHashMap<>();

    /** Adds a parameter; returns it for use in the model. */
    public Variable add(String name, Tensor value) {
        if (byName.containsKey(name)) throw new IllegalArgumentException("duplicate parameter name " + name);
        Variable v = Variable.parameter(value);
        byName.put(name, v);
        return v;
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

    /** Overwrites the values in place (same shapes), e.g. from a checkpoint. */
    public void load(String name, float[] values) {
        Tensor target = get(name).value();
        if (values.length != target.numel()) {
            throw new IllegalArgumentException("parameter " + name + " has " + target.numel() + " values, got " + values.length);
        }
        target.backend().copyInto(target, Tensor.of(values, target.shape()));
    }
}
