package cebm.train;

import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;

import java.util.function.UnaryOperator;

/**
 * Stochastic gradient Langevin dynamics on images (spec §2, step 3):
 * <pre>
 *   x ← x − step · ∇x E(x) + noise · ε,   ε ~ N(0, I)
 * </pre>
 * In the spec's notation step = α/2 and noise = s: the authors' code uses step 1.0 and noise
 * 7.5e-3 (the paper's text says α = 0.075, ε ~ N(0, α)). The two are separate settings because
 * the code's values are not a proper Langevin pair: the noise is far smaller than √(2·step), which
 * makes the sampler mostly a noisy gradient descent on the energy.
 *
 * <p>Each step needs only ∂E/∂x: {@link Tape#gradient} computes nothing for the parameters, and
 * the graph of each step is freed before the next one, so memory does not grow with the steps.
 */
public final class Sgld {
    private final float step;
    private final float noise;
    private final Workspace workspace = new Workspace();
    /** The model whose {@link #gradient} this is, and the running sum that gradient adds to. */
    private EnergyModel model;
    private UnaryOperator<Tensor> gradient;
    private Tensor normSum;

    public Sgld(float step, float noise) {
        this.step = step;
        this.noise = noise;
    }

    /** What one run of the sampler saw: the mean over steps and images of ‖∇x E‖. */
    public record Stats(double meanGradNorm) {}

    /** Runs {@code steps} updates on {@code chains} in place (a contiguous {@code [B,C,H,W]} tensor). */
    public Stats run(EnergyModel model, Tensor chains, int steps, RandomStream random) {
        Backend backend = chains.backend();
        UnaryOperator<Tensor> energyGradient = gradientOf(model, backend);
        backend.copyInto(normSum, backend.full(0f));
        // region sgld-loop (quoted in docs/energy-based-models.md)
        // The noise of step s starts at Philox block counter + s·⌈n/2⌉; the backend runs the steps
        // (one by one on the CPU; on CUDA one step recorded as a graph and replayed).
        long counter = random.reserveNormals(chains.numel(), steps);
        backend.sgld(chains, steps, energyGradient, step, noise, random.seed(), counter, workspace);
        // endregion
        return new Stats(steps == 0 ? 0 : normSum.item() / ((double) steps * chains.size(0)));
    }

    /**
     * ∇x E(x) for the loop, made once per model and backend, so that a backend that records the loop
     * sees the same computation again. It also adds the step's Σ over images of ‖∇x E‖ into
     * {@link #normSum}, on the backend: reading it every step would make the host wait for a GPU.
     */
    private UnaryOperator<Tensor> gradientOf(EnergyModel m, Backend backend) {
        if (m != model || normSum.backend() != backend) {
            Tensor sum = backend.full(0f);
            // region sgld-gradient (quoted in docs/energy-based-models.md)
            gradient = chains -> {
                Variable x = Variable.parameter(chains);
                Tensor grad = Tape.gradient(m.energy(x), x)[0];
                backend.copyInto(sum, Ops.add(sum, sumOfNorms(grad)));
                return grad;
            };
            // endregion
            model = m;
            normSum = sum;
        }
        return gradient;
    }

    /**
     * Samples from scratch (spec §2, "Sampling for pictures"): {@code count} images of uniform noise on
     * [−1, 1], on the backend of the model's parameters, moved by {@code steps} SGLD steps.
     * {@code afterEachStep} is told after every step (for a progress bar); it may be null.
     */
    public Tensor sampleFromNoise(EnergyModel model, int count, int steps, RandomStream random, Runnable afterEachStep) {
        var a = model.architecture();
        Tensor x = random.uniform(model.parameters().backend(), -1f, 1f, count, a.channels(), a.size(), a.size());
        for (int s = 0; s < steps; s++) {
            run(model, x, 1, random);
            if (afterEachStep != null) afterEachStep.run();
        }
        return x;
    }

    /** Σ over the batch of each image's gradient norm ‖∇x E‖, a scalar tensor. */
    private static Tensor sumOfNorms(Tensor grad) {
        Tensor perImage = Ops.sqrt(Ops.sum(Ops.square(grad.reshape(grad.size(0), -1)), 1));
        return Ops.sum(perImage);
    }
}
