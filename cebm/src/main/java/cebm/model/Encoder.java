package cebm.model;

import cebm.autograd.Variable;
import cebm.autograd.ops.Conv2dSwish;
import cebm.autograd.ops.Linear;
import cebm.autograd.ops.Neg;
import cebm.autograd.ops.Reshape;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Swish;
import cebm.tensor.RandomStream;
import cebm.tensor.Shape;

/**
 * The network t_θ(x) that turns an image into neural sufficient statistics (spec §1):
 * {@code [conv + bias + Swish] × n → flatten → (FC + Swish) → heads}, with
 * {@code t1 = head1(h)} and {@code t2 = −head2(h)²}. Squaring keeps t2 ≤ 0, so that
 * λ2 + t2 stays negative and the posterior stays a proper Gaussian.
 */
public final class Encoder {
    private final Architecture arch;
    private final int latent;
    private final Parameters params;

    /** The sufficient statistics of one batch: t1, t2 {@code [B,K]}. */
    public record Statistics(Variable t1, Variable t2) {}

    /**
     * @param heads how many linear heads of width {@code latent}: 2 for the CEBMs (t1, t2), 0 for
     *              a network that only needs the features (the IGEBM adds its own)
     */
    public Encoder(Architecture arch, int latent, Parameters params, RandomStream random, int heads) {
        this.arch = arch;
        this.latent = latent;
        this.params = params;
        int in = arch.channels();
        for (int i = 0; i < arch.convs().size(); i++) {
            Architecture.ConvLayer c = arch.convs().get(i);
            int fanIn = in * c.kernel() * c.kernel();
            params.add("conv" + i + ".weight", Parameters.fanInUniform(random, fanIn, c.outChannels(), in, c.kernel(), c.kernel()));
            params.add("conv" + i + ".bias", Parameters.fanInUniform(random, fanIn, c.outChannels()));
            in = c.outChannels();
        }
        if (arch.hidden() > 0) {
            params.add("fc.weight", Parameters.fanInUniform(random, arch.flattenedSize(), arch.hidden(), arch.flattenedSize()));
            params.add("fc.bias", Parameters.fanInUniform(random, arch.flattenedSize(), arch.hidden()));
        }
        for (int h = 1; h <= heads; h++) {
            params.add("head" + h + ".weight", Parameters.fanInUniform(random, arch.featureSize(), latent, arch.featureSize()));
            params.add("head" + h + ".bias", Parameters.fanInUniform(random, arch.featureSize(), latent));
        }
    }

    /** The last hidden representation h {@code [B, featureSize]}: trunk, flatten, optional FC. */
    public Variable features(Variable x) {
        int[] s = x.shape();
        if (s.length != 4 || s[1] != arch.channels() || s[2] != arch.size() || s[3] != arch.size()) {
            throw new IllegalArgumentException("encoder " + arch.name() + " expects images [B," + arch.channels() + ","
                    + arch.size() + "," + arch.size() + "], got " + Shape.show(s));
        }
        Variable h = x;
        for (int i = 0; i < arch.convs().size(); i++) {
            Architecture.ConvLayer c = arch.convs().get(i);
            h = Conv2dSwish.apply(h, params.get("conv" + i + ".weight"), params.get("conv" + i + ".bias"), c.stride(), c.padding());
        }
        h = Reshape.flatten(h);
        if (arch.hidden() > 0) h = Swish.apply(Linear.apply(h, params.get("fc.weight"), params.get("fc.bias")));
        return h;
    }

    /** t1 = head1(h), t2 = −head2(h)². */
    public Statistics statistics(Variable x) {
        Variable h = features(x);
        Variable t1 = Linear.apply(h, params.get("head1.weight"), params.get("head1.bias"));
        Variable t2 = Neg.apply(Square.apply(Linear.apply(h, params.get("head2.weight"), params.get("head2.bias"))));
        return new Statistics(t1, t2);
    }

    public Architecture architecture() {
        return arch;
    }

    public int latent() {
        return latent;
    }
}
