package cebm.toy;

import cebm.model.Architecture;
import cebm.model.GaussianCebm;
import cebm.train.TrainConfig;

import java.util.List;

/**
 * What the playground trains, and how: the image model's classes with settings for points in the
 * plane.
 *
 * <p>The network is the {@link cebm.model.Encoder} of an {@link Architecture} with no
 * convolutions: a point {@code [B, 2, 1, 1]} is flattened, goes through one fully connected layer
 * of 64 Swish units, and two linear heads give the sufficient statistics t1, t2 of a K = 16 latent
 * space. The energy is a sum of K terms, one per latent dimension (spec §1); with K = 2 the model
 * learns the ring of the eight Gaussians but not the eight bumps on it ({@code toy --latent 2}
 * shows it), so K is larger than the plane.
 *
 * <p>Training is {@link cebm.train.Trainer}, unchanged; only the numbers differ from the image
 * presets:
 * <ul>
 *   <li>SGLD {@code x ← x − step·∇E + noise·ε}: step 0.001 and noise √(2·0.001) ≈ 0.045, a proper
 *       Langevin pair, so that for small steps the chains sample exp(−E). The step must stay below
 *       2σ² for the narrowest feature of the data (σ = 0.04 across a ring): at a Gaussian mode of
 *       width σ the update multiplies the distance to the centre by 1 − step/σ², which must stay
 *       within (−1, 1), or the chains overshoot and fly off ({@code toy --sgld-step 0.01}).
 *       20 steps per training step.</li>
 *   <li>Replay buffer of 2000 chains (batch 64, so each chain is continued about every 30 steps),
 *       5% restarted from uniform noise on [−1, 1]².</li>
 *   <li>Adam with learning rate 5e-3; γ = 0.1 (the paper's value), which keeps the energies within
 *       a few nats of zero: with γ = 0.01 ({@code toy --dataset two-rings --gamma 0.01}) the
 *       energies of data and samples drift some 35 nats apart and the chains are thrown about by
 *       the steep walls.</li>
 *   <li>No noise added to the data (the points are already blurred).</li>
 * </ul>
 */
public final class ToySetup {
    public static final int HIDDEN = 64;
    public static final int LATENT = 16;
    public static final int STEPS = 2000;
    public static final int BATCH = 64;
    public static final float LEARNING_RATE = 5e-3f;
    public static final float GAMMA = 0.1f;
    public static final int SGLD_STEPS = 20;
    public static final float SGLD_STEP = 1e-3f;
    public static final int BUFFER = 2000;
    public static final Architecture ARCHITECTURE = new Architecture("mlp2d", 2, 1, List.of(), HIDDEN);

    private ToySetup() {}

    public static GaussianCebm model(int latent, long seed) {
        return new GaussianCebm(ARCHITECTURE, latent, seed);
    }

    /** The noise that makes a gradient step h a Langevin step: √(2h). */
    public static float langevinNoise(float step) {
        return (float) Math.sqrt(2 * step);
    }

    /** The trainer's settings for the playground. */
    public static TrainConfig config(ToyData data, int latent, int steps, long seed) {
        TrainConfig c = TrainConfig.defaults();
        c = c.with("preset", "toy");
        c = c.with("data", data.flag());
        c = c.with("arch", ARCHITECTURE.name());
        c = c.with("latent", latent);
        c = c.with("steps", steps);
        c = c.with("seed", seed);
        c = c.with("batch", BATCH);
        c = c.with("lr", LEARNING_RATE);
        c = c.with("gamma", GAMMA);
        c = c.with("dataNoise", 0f);
        c = c.with("sgldSteps", SGLD_STEPS);
        c = c.with("sgldStep", SGLD_STEP);
        c = c.with("sgldNoise", langevinNoise(SGLD_STEP));
        c = c.with("bufferSize", BUFFER);
        c = c.with("reuse", 0.95f);
        return c;
    }
}
