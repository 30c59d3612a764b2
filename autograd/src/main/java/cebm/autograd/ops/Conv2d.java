package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * 2-D convolution with bias, NCHW: x {@code [N,C,H,W]}, w {@code [F,C,KH,KW]}, b {@code [F]}.
 * ∂L/∂x is the transposed convolution of g with w; ∂L/∂w correlates x with g; ∂L/∂b sums g over
 * N, H and W.
 */
public final class Conv2d extends Function {
    private final Tensor x;
    private final Tensor weight;
    private final Conv2dGeometry geometry;

    private Conv2d(Tensor x, Tensor weight, Conv2dGeometry geometry) {
        this.x = x;
        this.weight = weight;
        this.geometry = geometry;
    }

    public static Variable apply(Variable x, Variable weight, Variable bias, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("conv2d", x.shape(), weight.shape(), stride, padding);
        Tensor out = Ops.conv2d(x.value(), weight.value(), bias.value(), stride, padding);
        return new Conv2d(x.value(), weight.value(), g).record(out, x, weight, bias);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        return convolutionGrads(g, x, weight, geometry, needsGrad(0), needsGrad(1), needsGrad(2));
    }

    /** The three gradients of a convolution given ∂L/∂(conv output); shared with {@link Conv2dSwish}. */
    static Tensor[] convolutionGrads(Tensor g, Tensor x, Tensor weight, Conv2dGeometry geometry,
                                     boolean input, boolean weights, boolean bias) {
        return new Tensor[] {
                input ? g.backend().conv2dInputGrad(g, weight, geometry) : null,
                weights ? g.backend().conv2dWeightGrad(g, x, geometry) : null,
                bias ? Ops.sum(g, 0, 2, 3) : null};
    }
}
