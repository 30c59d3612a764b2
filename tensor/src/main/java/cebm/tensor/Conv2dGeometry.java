package cebm.tensor;

/**
 * The shapes of one 2-D convolution, NCHW, checked once: input {@code [N, C, H, W]},
 * weight {@code [F, C, KH, KW]}, output {@code [N, F, OH, OW]} with
 * {@code OH = (H + 2·pad − KH) / stride + 1} (likewise OW).
 */
public record Conv2dGeometry(int batch, int inChannels, int height, int width,
                             int outChannels, int kernelH, int kernelW, int stride, int padding) {

    public static Conv2dGeometry of(String op, int[] input, int[] weight, int stride, int padding) {
        if (input.length != 4 || weight.length != 4) {
            throw new IllegalArgumentException(op + ": expected input [N,C,H,W] and weight [F,C,KH,KW], got "
                    + Shape.show(input) + " and " + Shape.show(weight));
        }
        if (input[1] != weight[1]) {
            throw new IllegalArgumentException(op + ": input " + Shape.show(input) + " has " + input[1]
                    + " channels but weight " + Shape.show(weight) + " expects " + weight[1]);
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException(op + ": stride must be ≥ 1 and padding ≥ 0, got stride " + stride + ", padding " + padding);
        }
        Conv2dGeometry g = new Conv2dGeometry(input[0], input[1], input[2], input[3],
                weight[0], weight[2], weight[3], stride, padding);
        if (g.outHeight() < 1 || g.outWidth() < 1) {
            throw new IllegalArgumentException(op + ": kernel " + weight[2] + "x" + weight[3] + " larger than padded input "
                    + Shape.show(input) + " with padding " + padding);
        }
        return g;
    }

    public int outHeight() {
        return (height + 2 * padding - kernelH) / stride + 1;
    }

    public int outWidth() {
        return (width + 2 * padding - kernelW) / stride + 1;
    }

    public int[] inputShape() {
        return new int[] {batch, inChannels, height, width};
    }

    public int[] weightShape() {
        return new int[] {outChannels, inChannels, kernelH, kernelW};
    }

    public int[] outputShape() {
        return new int[] {batch, outChannels, outHeight(), outWidth()};
    }

    /** Multiply-adds of the forward pass, times two: the FLOP count benchmarks report. */
    public long forwardFlops() {
        return 2L * batch * outChannels * outHeight() * outWidth() * inChannels * kernelH * kernelW;
    }
}
