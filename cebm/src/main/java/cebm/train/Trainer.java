package cebm.train;

import cebm.autograd.Adam;
import cebm.autograd.Variable;
import cebm.autograd.ops.Add;
import cebm.autograd.ops.Composite;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.data.Dataset;
import cebm.model.EnergyModel;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;

import java.util.ArrayList;

/**
 * One step of persistent contrastive divergence (spec §2), and the state it changes: the model's
 * parameters, Adam's moments, the replay buffer, the random stream and the step count. All
 * randomness comes from one counter-based stream, so the state is small and a resumed run
 * continues exactly.
 */
public final class Trainer {
    private static final double ENERGY_SCALE_DECAY = 0.99;
    private TrainConfig config;
    private final EnergyModel model;
    private final Dataset data;
    private final Adam adam;
    private final Sgld sgld;
    private ReplayBuffer buffer;
    private RandomStream random;
    private int step;
    private Pace pace;
    /** The recent size of the energies, NaN until a step has been applied; see {@link #energyScale}. */
    private double energyScale = Double.NaN;

    /**
     * How fast the run goes: Adam's learning rate and the SGLD steps per gradient step. They start
     * at the configuration's values; a rollback slows them down, a resume may set them anew, and a
     * checkpoint saves them ({@code state.lr}, {@code state.sgld_steps}). This is the one place
     * where the current learning rate lives.
     */
    public record Pace(float learningRate, int sgldSteps) {
        /** After a rollback: the learning rate times {@code lrFactor}, and {@code extraSgldSteps} more SGLD steps. */
        public Pace slowedDown(float lrFactor, int extraSgldSteps) {
            return new Pace(learningRate * lrFactor, sgldSteps + extraSgldSteps);
        }
    }

    /** What one step measured. {@code applied} is false when the step diverged and was not applied. */
    public record StepResult(int step, double loss, double energyData, double energyModel, double gradNorm, boolean applied) {
        /** E_data − E_model: the stability signal of Nijkamp et al.; it should stay near zero. */
        public double energyDifference() {
            return energyData - energyModel;
        }
    }

    /**
     * Trains {@code model} where its parameters are (moved there beforehand, {@code Parameters.moveTo}):
     * Adam's moments and the replay buffer are made on that backend, and each data batch is moved there.
     */
    public Trainer(TrainConfig config, EnergyModel model, Dataset data) {
        this.config = config;
        this.model = model;
        this.data = data;
        this.adam = new Adam(new ArrayList<>(model.parameters().asMap().values()));
        this.sgld = new Sgld(config.sgldStep(), config.sgldNoise());
        this.random = new RandomStream(config.seed());
        this.pace = new Pace(config.lr(), config.sgldSteps());
        this.buffer = new ReplayBuffer(model.parameters().backend(), config.bufferSize(), imageShape(), config.reuse(), random);
    }

    /**
     * Draws data and chains, runs SGLD on the chains, and takes one Adam step on
     * {@code mean E(x_data) − mean E(x_model) + γ (mean E(x_data)² + mean E(x_model)²)}, unless
     * the step diverged: the loss or an energy is non-finite, |loss| exceeds the configured bound, or an
     * energy exceeds the divergence factor times the run's recent energy scale.
     */
    public StepResult step() {
        int[] rows = new int[config.batch()];
        for (int i = 0; i < rows.length; i++) rows[i] = random.nextInt(data.size());
        Tensor clean = data.batch(rows).to(model.parameters().backend());
        Tensor noisy = Ops.add(clean, random.normal(clean.backend(), 0f, config.dataNoise(), clean.shape()));

        // region pcd-step (quoted in docs/energy-based-models.md)
        ReplayBuffer.Draw draw = buffer.draw(config.batch(), random);
        Sgld.Stats stats = sgld.run(model, draw.chains(), pace.sgldSteps(), random);
        buffer.writeBack(draw);

        Variable energyData = model.energy(Variable.constant(noisy));
        Variable energyModel = model.energy(Variable.constant(draw.chains()));
        Variable meanData = Composite.mean(energyData), meanModel = Composite.mean(energyModel);
        Variable regulariser = Add.apply(Composite.mean(Square.apply(energyData)), Composite.mean(Square.apply(energyModel)));
        Variable loss = Add.apply(Sub.apply(meanData, meanModel), Mul.apply(regulariser, config.gamma()));
        // endregion

        double lossValue = loss.value().item();
        double eData = meanData.value().item(), eModel = meanModel.value().item();
        double size = Math.max(Math.abs(eData), Math.abs(eModel));
        boolean withinScale = Double.isNaN(energyScale) || size <= config.divergenceFactor() * Math.max(1, energyScale);
        boolean healthy = Double.isFinite(lossValue) && Double.isFinite(eData) && Double.isFinite(eModel)
                && Math.abs(lossValue) <= config.lossBound() && withinScale;
        if (healthy) {
            loss.backward();
            adam.step(pace.learningRate());
            step++;
            energyScale = Double.isNaN(energyScale) ? size : ENERGY_SCALE_DECAY * energyScale + (1 - ENERGY_SCALE_DECAY) * size;
        }
        return new StepResult(step, lossValue, eData, eModel, stats.meanGradNorm(), healthy);
    }

    /**
     * The run's recent energy scale: an exponential average of max(|E_data|, |E_model|) over the applied
     * steps, weighted to about the last 1/(1 − {@value #ENERGY_SCALE_DECAY}) of them, NaN before the
     * first. A step whose energies exceed {@code divergenceFactor · max(1, scale)} has diverged: the
     * bound follows the energies a run settles at (small where γ holds them near 0) and flags a sudden
     * jump, while a slow drift moves the scale with it. A resumed run learns the scale again from
     * its first step.
     */
    public double energyScale() {
        return energyScale;
    }

    /**
     * After a rollback: the stream continues under another key, so that the retried step draws other
     * data, chains and noise than the one that diverged (the same draws would diverge again). The key
     * depends only on the rollback's number, so a run with rollbacks is still repeatable.
     */
    public void drawFreshRandomness(int rollback) {
        random = new RandomStream(random.seed() + rollback * 0x9E3779B97F4A7C15L, random.counter());
    }

    /** Mean energy of a batch, without recording a graph. */
    public double meanEnergy(Tensor images) {
        try (cebm.autograd.GradMode.Scope off = cebm.autograd.GradMode.disabled()) {
            return Ops.mean(model.energy(Variable.constant(images)).value()).item();
        }
    }

    /** Short-run samples: fresh uniform noise moved by {@code steps} SGLD steps, from its own stream. */
    public Tensor sampleFromNoise(int count, int steps, long seed) {
        return sgld.sampleFromNoise(model, count, steps, new RandomStream(seed), null);
    }

    private int[] imageShape() {
        return new int[] {model.architecture().channels(), model.architecture().size(), model.architecture().size()};
    }

    // ---- state, for checkpoints and rollbacks ----

    public EnergyModel model() {
        return model;
    }

    public Adam optimizer() {
        return adam;
    }

    public ReplayBuffer buffer() {
        return buffer;
    }

    public RandomStream random() {
        return random;
    }

    public int stepCount() {
        return step;
    }

    public Pace pace() {
        return pace;
    }

    /** Goes on at {@code pace}: after a rollback, or where a resume gives a learning rate or SGLD steps. */
    public void setPace(Pace pace) {
        this.pace = pace;
    }

    public TrainConfig config() {
        return config;
    }

    /**
     * Continues under changed settings, such as a resumed run's new step target or divergence
     * bounds; the caller keeps those that make the run its own ({@link TrainConfig#RUN_SETTINGS}).
     */
    public void changeSettings(TrainConfig changed) {
        config = changed;
    }

    /** Restores the state a checkpoint saved (parameters and Adam moments are restored in place by the caller). */
    public void restore(int step, Pace pace, RandomStream random, ReplayBuffer buffer) {
        this.step = step;
        this.pace = pace;
        this.random = random;
        this.buffer = buffer;
    }
}
