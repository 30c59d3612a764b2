package cebm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import cebm.autograd.Variable;
import cebm.model.Architecture;
import cebm.model.EnergyModel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CEBM with the spherical Gaussian bias (spec §1) in DJL's PyTorch engine, the peer of
 * {@code cebm.model.GaussianCebm} and of {@code torch_cebm.py}: the same network and energy, on
 * parameters copied from one of this engine's models, so that both start from the same weights.
 * <pre>
 *   h  = swish(conv_i(h)) for each layer, flatten, swish(fc(h))     [B, F]
 *   t1 = head1(h),  t2 = −head2(h)²                                [B, K]
 *   λ̃ = λ + t,  λ = (0, −½) in every dimension (the bias N(0, I))
 *   E(x) = Σ_k [ B(λ_k) − B(λ̃_k) ],   B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2)
 * </pre>
 * B(λ) is 0 for N(0, 1), but it is computed, as GaussianCebm does, so that the formula is the spec's.
 *
 * <p>NOTE: every constant is an array made once ({@link NDManager#full}), and Swish is written
 * x·sigmoid(x). DJL's {@code NDArray.mul(Number)} (and {@code Activation.swish}, built on it)
 * wraps the number in a tensor over a Java buffer and closes it while the autograd graph still
 * refers to it: after a garbage collection the backward pass reads freed memory. For the same
 * reason the parameters are copied into memory that libtorch owns ({@link #owned}).
 */
final class TorchCebm {
    private final Engine engine;
    private final Architecture arch;
    /** The parameters, under this engine's (PyTorch's) names and layouts; they take gradients. */
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    /**
     * The same storage outside autograd, for ∂E/∂x alone: as {@code torch.autograd.grad(E, x)},
     * SGLD computes no parameter gradient. Adam updates the parameters in place, so these follow.
     */
    private final Map<String, NDArray> fixed = new LinkedHashMap<>();
    private final NDArray lambda1, lambda2, priorLogNormalizer;
    private final NDArray minusFour, minusTwo, half;

    /** Copies {@code model}'s parameters (a {@code cebm} model, on any backend) into {@code manager}. */
    TorchCebm(Engine engine, NDManager manager, EnergyModel model) {
        if (!model.kind().equals("cebm")) throw new IllegalArgumentException("the peer is the Gaussian CEBM, not " + model.kind());
        this.engine = engine;
        this.arch = model.architecture();
        for (Map.Entry<String, Variable> p : model.parameters().asMap().entrySet()) {
            var value = p.getValue().value();
            NDArray w = owned(manager, value.toArray(), value.shape());
            w.setRequiresGradient(true);
            trainable.put(p.getKey(), w);
            fixed.put(p.getKey(), w.stopGradient());
        }
        int latent = model.parameters().get("head1.bias").value().numel();
        minusFour = manager.full(new Shape(), -4f);
        minusTwo = manager.full(new Shape(), -2f);
        half = manager.full(new Shape(), 0.5f);
        lambda1 = manager.zeros(new Shape(1, latent));
        lambda2 = manager.full(new Shape(1, latent), -0.5f);
        priorLogNormalizer = logNormalizer(lambda1, lambda2).sum();
    }

    /** A copy of {@code values} in memory that libtorch owns (not a view of a Java buffer). */
    static NDArray owned(NDManager manager, float[] values, int... shape) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) dims[i] = shape[i];
        try (NDArray view = manager.create(values, new Shape(dims))) {
            return view.duplicate();
        }
    }

    /**
     * E(x) {@code [B]} for images x {@code [B,C,H,W]}. With {@code trainableWeights} the graph
     * reaches the parameters (the loss); without, only x (SGLD).
     */
    NDArray energy(NDArray x, boolean trainableWeights) {
        Map<String, NDArray> w = trainableWeights ? trainable : fixed;
        NDArray h = x;
        for (int i = 0; i < arch.convs().size(); i++) {
            Architecture.ConvLayer c = arch.convs().get(i);
            h = swish(Conv2d.conv2d(h, w.get("conv" + i + ".weight"), w.get("conv" + i + ".bias"),
                    new Shape(c.stride(), c.stride()), new Shape(c.padding(), c.padding()), new Shape(1, 1), 1).singletonOrThrow());
        }
        h = h.reshape(h.getShape().get(0), -1);
        if (arch.hidden() > 0) h = swish(linear(h, w, "fc"));
        NDArray t1 = linear(h, w, "head1");
        NDArray t2 = linear(h, w, "head2").square().neg();
        NDArray posterior = logNormalizer(t1.add(lambda1), t2.add(lambda2)).sum(new int[] {1});
        return priorLogNormalizer.sub(posterior);
    }

    /**
     * ∂(Σ_b E(x_b))/∂x {@code [B,C,H,W]}, through the {@link #fixed} weights, so that no parameter
     * gradient is computed.
     */
    NDArray inputGradient(NDArray x) {
        NDArray leaf = x.stopGradient();
        leaf.setRequiresGradient(true);
        try (GradientCollector tape = engine.newGradientCollector()) {
            tape.backward(energy(leaf, false).sum());
        }
        return leaf.getGradient();
    }

    /** The parameters by name, which take gradients (Adam updates them). */
    Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(trainable);
    }

    Engine engine() {
        return engine;
    }

    /** B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2), elementwise. */
    private NDArray logNormalizer(NDArray a1, NDArray a2) {
        return a1.square().div(a2.mul(minusFour)).sub(a2.mul(minusTwo).log().mul(half));
    }

    /** swish(x) = x·sigmoid(x), from primitives (see the class comment). */
    private static NDArray swish(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    private static NDArray linear(NDArray h, Map<String, NDArray> w, String layer) {
        return Linear.linear(h, w.get(layer + ".weight"), w.get(layer + ".bias")).singletonOrThrow();
    }
}
