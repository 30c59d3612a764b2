package cebm.bench;

import cebm.model.Architecture;
import cebm.tensor.Conv2dGeometry;

/** FLOP counts of one encoder pass, from the layer shapes (2 FLOP per multiply-add). */
final class EncoderWork {
    private EncoderWork() {}

    /** Forward pass of the trunk, the optional hidden layer and the two heads of width {@code latent}. */
    static long forwardFlops(Architecture a, int batch, int latent) {
        long flops = 0;
        int channels = a.channels(), size = a.size();
        for (Architecture.ConvLayer c : a.convs()) {
            Conv2dGeometry g = Conv2dGeometry.of("flops", new int[] {batch, channels, size, size},
                    new int[] {c.outChannels(), channels, c.kernel(), c.kernel()}, c.stride(), c.padding());
            flops += g.forwardFlops();
            channels = c.outChannels();
            size = g.outHeight();
        }
        if (a.hidden() > 0) flops += 2L * batch * a.flattenedSize() * a.hidden();
        flops += 2L * 2 * batch * a.featureSize() * latent;
        return flops;
    }

    /**
     * Forward plus the gradient w.r.t. the input: the backward pass through each layer costs one
     * more product of the same size (the transposed convolution / matrix product).
     */
    static long sgldStepFlops(Architecture a, int batch, int latent) {
        return 2 * forwardFlops(a, batch, latent);
    }
}
