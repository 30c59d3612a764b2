package cebm.autograd.ops;

import cebm.autograd.Function;
import cebm.autograd.Variable;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * The encoder's layer, fused: {@code z = conv2d(x, w) + b}, {@code y = swish(z)}.
 *
 * <p>Why fused: in the SGLD loop this layer runs 60 times per training step, forward and
 * backward; computing bias and Swish in the convolution's epilogue saves two passes over the
 * activations, and one recorded op instead of three keeps the tape short. The backward is the
 * closed form: {@code ∂L/∂z = ∂L/∂y · swish'(z)} with {@code swish'(z) = σ(z)(1 + z(1 − σ(z)))},
 * then the gradients of a convolution. It equals {@code Swish(Conv2d(x, w, b))}, which the tests
 * check.
 */
public final class Conv2dSwish extends Function {
    private final Tensor x;
    private final Tensor weight;
    private final Tensor preActivation;
    private final Conv2dGeometry geometry;

    private Conv2dSwish(Tensor x, Tensor weight, Tensor preActivation, Conv2dGeometry geometry) {
        this.x = x;
        this.weight = weight;
        this.preActivation = preActivation;
        this.geometry = geometry;
    }

    public static Variable apply(Variable x, Variable weight, Variable bias, int stride, int padding) {
        Conv2dGeometry g = Conv2dGeometry.of("conv2dSwish", x.shape(), weight.shape(), stride, padding);
        Tensor[] yz = Ops.conv2dBiasSwish(x.value(), weight.value(), bias.value(), stride, padding);
        return new Conv2dSwish(x.value(), weight.value(), yz[1], g).record(yz[0], x, weight, bias);
    }

    @Override
    public Tensor[] backward(Tensor g) {
        if (needsGrad(0) && !needsGrad(1) && !needsGrad(2)) {
            // The SGLD loop: only ∂E/∂x, which a backend may compute without writing ∂L/∂z out.
            return new Tensor[] {g.backend().conv2dSwishInputGrad(g, preActivation, weight, geometry), null, null};
        }
        Tensor gz = g.backend().swishBackward(g, preActivation);
        return Conv2d.convolutionGrads(gz, x, weight, geometry, needsGrad(0), needsGrad(1), needsGrad(2));
    }
}
