package cebm.guide;

import cebm.data.Dataset;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import cebm.toy.ToyData;
import cebm.toy.ToySetup;
import cebm.train.TrainConfig;
import cebm.train.Trainer;

import java.util.stream.IntStream;

/**
 * docs/energy-based-models.md, section 2: a few hundred steps of the trainer push the energy of the
 * data down relative to that of noise. {@link GuideExamplesTest} runs it and checks that it does.
 */
public final class ContrastiveDivergence {
    private ContrastiveDivergence() {}

    /** E(noise) − E(data), in nats, before and after training. */
    record Gap(double before, double after) {}

    public static void main(String[] args) {
        Gap gap = run(300);
        System.out.printf("mean E(noise) - mean E(data): %.2f before, %.2f after 300 steps%n", gap.before(), gap.after());
    }

    static Gap run(int steps) {
        // region train
        TrainConfig config = ToySetup.config(ToyData.EIGHT_GAUSSIANS, ToySetup.LATENT, steps, 0);
        Dataset data = ToyData.EIGHT_GAUSSIANS.generate(2000, 0);
        Trainer trainer = new Trainer(config, ToySetup.model(config.latent(), config.seed()), data);
        Tensor points = data.batch(IntStream.range(0, data.size()).toArray()); // [2000, 2, 1, 1]
        Tensor noise = new RandomStream(5).uniform(CpuBackend.INSTANCE, -1f, 1f, 2000, 2, 1, 1);
        double before = trainer.meanEnergy(noise) - trainer.meanEnergy(points);
        while (trainer.stepCount() < config.steps()) {
            trainer.step();                                                    // SGLD on the chains, one Adam step on the loss
        }
        double after = trainer.meanEnergy(noise) - trainer.meanEnergy(points);
        // endregion
        return new Gap(before, after);
    }
}
