package cebm.model;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.autograd.ops.Linear;
import cebm.autograd.ops.Reshape;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;

/**
 * The IGEBM baseline (spec §1): the same convolutional trunk, then an MLP to a scalar,
 * {@code E(x) = f_θ(x)}. Its latent representation for evaluation is the last hidden layer.
 * For architectures without a hidden FC layer, the features are the flattened trunk.
 */
public final class Igebm extends EncoderModel {

    public Igebm(Architecture arch, long seed) {
        this(arch, new RandomStream(seed));
    }

    /** The trunk's weights come first from the stream, then the energy head's. */
    private Igebm(Architecture arch, RandomStream random) {
        super(arch, 1, random, 0);
        int width = arch.featureSize();
        params.add("energy.weight", Parameters.fanInUniform(random, width, 1, width));
        params.add("energy.bias", Parameters.fanInUniform(random, width, 1));
    }

    @Override
    public Variable energy(Variable x) {
        Variable h = encoder.features(x);
        return Reshape.apply(Linear.apply(h, params.get("energy.weight"), params.get("energy.bias")), -1);
    }

    @Override
    public Posterior posterior(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            return new Posterior(encoder.features(Variable.constant(x)).value(), null, null);
        }
    }

    @Override
    public String kind() {
        return "igebm";
    }
}
