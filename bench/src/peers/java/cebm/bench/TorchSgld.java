package cebm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * Stochastic gradient Langevin dynamics on images in DJL (spec §2, step 3), the peer of
 * {@code cebm.train.Sgld} and of {@code sgld} in {@code torch_cebm.py}:
 * <pre>
 *   x ← x − step · ∇x E(x) + noise · ε,   ε ~ N(0, I)   (libtorch's generator)
 * </pre>
 * Each step's graph and temporaries are freed when the step ends ({@link NDScope}), so memory does
 * not grow with the steps.
 */
final class TorchSgld {
    private final NDArray step;
    private final NDArray noise;

    TorchSgld(NDManager manager, float step, float noise) {
        this.step = manager.full(new Shape(), step);
        this.noise = manager.full(new Shape(), noise);
    }

    /** One step from chains x {@code [B,C,H,W]}: the new chains, which the caller closes. */
    NDArray step(TorchCebm model, NDArray x) {
        try (NDScope scope = new NDScope()) {
            NDArray gradient = model.inputGradient(x);
            NDArray epsilon = x.getManager().randomNormal(x.getShape());
            NDArray next = x.sub(gradient.mul(step)).add(epsilon.mul(noise));
            NDScope.unregister(next);
            return next;
        }
    }

    /** {@code steps} steps from x, which stays as it was: the new chains, which the caller closes. */
    NDArray run(TorchCebm model, NDArray x, int steps) {
        NDArray chains = x.duplicate();
        for (int s = 0; s < steps; s++) {
            NDArray next = step(model, chains);
            chains.close();
            chains = next;
        }
        return chains;
    }
}
