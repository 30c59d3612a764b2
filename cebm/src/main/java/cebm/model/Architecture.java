package cebm.model;

import java.util.List;

/**
 * An encoder network's shape (spec §1, "Encoder architectures"): a trunk of conv + bias + Swish
 * layers, an optional hidden fully connected layer (with Swish), then the heads.
 *
 * @param name        how the command line and checkpoints call it
 * @param channels    input channels (1 for MNIST, 3 for CIFAR-10)
 * @param size        input height and width
 * @param convs       the trunk, in order (empty for an MLP on vectors, given as {@code [B, D, 1, 1]})
 * @param hidden      width of the hidden FC layer, or 0 for heads straight from the trunk
 */
public record Architecture(String name, int channels, int size, List<ConvLayer> convs, int hidden) {

    /** One conv + bias + Swish layer. */
    public record ConvLayer(int outChannels, int kernel, int stride, int padding) {}

    /** The paper's 28×28 network: conv 64, 64, 32, 32 → FC 128 (spatial 28 → 28 → 14 → 7 → 3). */
    public static final Architecture PAPER_28 = new Architecture("paper28", 1, 28, List.of(
            new ConvLayer(64, 3, 1, 1), new ConvLayer(64, 4, 2, 1),
            new ConvLayer(32, 4, 2, 1), new ConvLayer(32, 4, 2, 1)), 128);

    /** The paper's 32×32×3 network: conv 64, 128, 256, 512 → FC 1024. */
    public static final Architecture PAPER_32 = new Architecture("paper32", 3, 32, List.of(
            new ConvLayer(64, 3, 1, 1), new ConvLayer(128, 4, 2, 1),
            new ConvLayer(256, 4, 2, 1), new ConvLayer(512, 4, 2, 1)), 1024);

    /** The authors' code default: conv 32, 32, 64, 64, heads straight from the flattened trunk. */
    public static final Architecture CODE_28 = new Architecture("code28", 1, 28, List.of(
            new ConvLayer(32, 3, 1, 1), new ConvLayer(32, 4, 2, 1),
            new ConvLayer(64, 4, 2, 1), new ConvLayer(64, 4, 2, 1)), 0);

    public static final List<Architecture> ALL = List.of(PAPER_28, PAPER_32, CODE_28);

    public static Architecture named(String name) {
        for (Architecture a : ALL) if (a.name.equals(name)) return a;
        throw new IllegalArgumentException("unknown architecture '" + name + "'; choose one of paper28, paper32, code28");
    }

    /** Spatial size after the trunk: each layer maps s to (s + 2p − k)/stride + 1. */
    public int trunkOutputSize() {
        int s = size;
        for (ConvLayer c : convs) s = (s + 2 * c.padding() - c.kernel()) / c.stride() + 1;
        return s;
    }

    /** Number of features the trunk hands to the fully connected part (the input itself if there is no trunk: an MLP). */
    public int flattenedSize() {
        int s = trunkOutputSize();
        int c = convs.isEmpty() ? channels : convs.get(convs.size() - 1).outChannels();
        return c * s * s;
    }

    /** Width of the layer the heads read: the hidden layer's, or the flattened trunk's. */
    public int featureSize() {
        return hidden > 0 ? hidden : flattenedSize();
    }
}
