package cebm.model;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.autograd.ops.Linear;
import cebm.autograd.ops.Reshape;
import cebm.autograd.ops.Swish;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;

/**
 * The IGEBM baseline (spec §1): the same convolutional trunk, then an MLP to a scalar energy
 * {@code E(x) = f_θ(x)}, with two hidden layers as in the paper (Table 6: conv trunk → FC 128 →
 * FC 128 → FC 1) and the authors' code (conv trunk → FC 256 → FC {@code latent} → FC 1):
 * <pre>
 *   h1 = first hidden layer     the architecture's own FC where it has one (paper28: 128, paper32: 1024),
 *                               otherwise swish(W1·trunk + b1) of width 256 (code28, the code's hidden_dims)
 *   h2 = swish(W2·h1 + b2)      width {@code latent}
 *   E  = w·h2 + b
 * </pre>
 * The latent representation for evaluation is h1, the MLP without its last hidden layer, as the
 * authors' {@code IGEBM.latent} takes it ({@code latent_net[:-2]}).
 */
public final class Igebm extends EncoderModel {
    /** The first hidden width where the architecture has no FC layer of its own: the authors' {@code hidden_dims = [256]}. */
    public static final int CODE_HIDDEN = 256;

    public Igebm(Architecture arch, int latent, long seed) {
        this(arch, latent, new RandomStream(seed));
    }

    /** The trunk's weights come first from the stream, then the MLP's, layer by layer. */
    private Igebm(Architecture arch, int latent, RandomStream random) {
        super(arch, latent, random, 0);
        int width = arch.featureSize();
        if (arch.hidden() == 0) {
            addLinear("hidden1", width, CODE_HIDDEN, random);
            width = CODE_HIDDEN;
        }
        addLinear("hidden2", width, latent, random);
        addLinear("energy", latent, 1, random);
    }

    private void addLinear(String name, int in, int out, RandomStream random) {
        params.add(name + ".weight", Parameters.fanInUniform(random, in, out, in));
        params.add(name + ".bias", Parameters.fanInUniform(random, in, out));
    }

    /** h1, the latent representation {@code [B, width]}. */
    private Variable firstHidden(Variable x) {
        Variable h = encoder.features(x);
        if (architecture().hidden() > 0) return h;
        return Swish.apply(Linear.apply(h, params.get("hidden1.weight"), params.get("hidden1.bias")));
    }

    @Override
    public Variable energy(Variable x) {
        Variable h2 = Swish.apply(Linear.apply(firstHidden(x), params.get("hidden2.weight"), params.get("hidden2.bias")));
        return Reshape.apply(Linear.apply(h2, params.get("energy.weight"), params.get("energy.bias")), -1);
    }

    @Override
    public Posterior posterior(Tensor x) {
        try (GradMode.Scope off = GradMode.disabled()) {
            return new Posterior(firstHidden(Variable.constant(x)).value(), null, null);
        }
    }

    @Override
    public String kind() {
        return "igebm";
    }
}
