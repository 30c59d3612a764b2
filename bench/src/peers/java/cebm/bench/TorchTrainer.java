package cebm.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import cebm.data.Dataset;
import cebm.train.TrainConfig;

import java.util.Map;
import java.util.stream.IntStream;

/**
 * One step of persistent contrastive divergence (spec §2) in DJL, the peer of
 * {@code cebm.train.Trainer#step} and of {@code train_iter} in {@code torch_cebm.py}: a data batch
 * with Gaussian noise, chains drawn from the replay buffer (fresh uniform noise with probability
 * 1 − reuse), the configured SGLD steps, the chains written back, the loss
 * {@code mean E(x_data) − mean E(x_model) + γ (mean E(x_data)² + mean E(x_model)²)}, its
 * gradient, and one Adam step. The divergence checks of {@code Trainer} are left out: they read
 * three numbers.
 *
 * <p>Adam is DJL's, with the same β1, β2, ε and learning rate as this engine's. It differs from
 * PyTorch's and this engine's only in where ε enters (added to √v before the bias correction
 * rather than after), which changes nothing measurable in time.
 */
final class TorchTrainer {
    private final TrainConfig config;
    private final TorchCebm model;
    private final TorchSgld sgld;
    private final Adam adam;
    private final NDManager manager;
    /** The data set's images {@code [N,C,H,W]} and the replay buffer {@code [bufferSize,C,H,W]}. */
    private final NDArray data, buffer;
    private final NDArray gamma, dataNoise, reuse;
    private final Shape imageBatch;

    /** Trains {@code model} on {@code data} with {@code config}'s settings; the arrays live in {@code manager}. */
    TorchTrainer(TrainConfig config, TorchCebm model, Dataset data, NDManager manager) {
        this.config = config;
        this.model = model;
        this.manager = manager;
        this.sgld = new TorchSgld(manager, config.sgldStep(), config.sgldNoise());
        this.adam = Adam.builder().optLearningRateTracker(Tracker.fixed(config.lr()))
                .optBeta1(cebm.autograd.Adam.BETA1).optBeta2(cebm.autograd.Adam.BETA2).optEpsilon(cebm.autograd.Adam.EPS).build();
        float[] images = data.batch(IntStream.range(0, data.size()).toArray()).toArray();
        this.data = TorchCebm.owned(manager, images, data.size(), data.channels(), data.height(), data.width());
        this.buffer = manager.randomUniform(-1f, 1f, new Shape(config.bufferSize(), data.channels(), data.height(), data.width()));
        this.imageBatch = new Shape(config.batch(), data.channels(), data.height(), data.width());
        this.gamma = manager.full(new Shape(), config.gamma());
        this.dataNoise = manager.full(new Shape(), config.dataNoise());
        this.reuse = manager.full(new Shape(), config.reuse());
    }

    /** One training iteration; returns the loss. */
    float step() {
        float loss;
        try (NDScope scope = new NDScope()) {
            NDArray rows = manager.randomInteger(0, data.getShape().get(0), new Shape(config.batch()), DataType.INT64);
            NDArray clean = data.get(new NDIndex("{}", rows));
            NDArray noisy = clean.add(manager.randomNormal(imageBatch).mul(dataNoise));

            NDArray slots = manager.randomInteger(0, config.bufferSize(), new Shape(config.batch()), DataType.INT64);
            // DJL's where does not broadcast the condition: one draw per chain, spread over its image.
            NDArray keep = manager.randomUniform(0f, 1f, new Shape(config.batch(), 1, 1, 1)).lt(reuse).broadcast(imageBatch);
            NDArray start = NDArrays.where(keep, buffer.get(new NDIndex("{}", slots)), manager.randomUniform(-1f, 1f, imageBatch));
            NDArray chains = sgld.run(model, start, config.sgldSteps());
            NDScope.register(chains);
            buffer.set(new NDIndex("{}", slots), chains);

            loss = backwardLoss(noisy, chains);
        }
        // Outside the scope: Adam makes its moments on the first update, and they must outlive it.
        for (Map.Entry<String, NDArray> p : model.parameters().entrySet()) {
            try (NDArray gradient = p.getValue().getGradient()) {
                adam.update(p.getKey(), p.getValue(), gradient);
            }
        }
        return loss;
    }

    /**
     * The loss on images {@code data} and {@code chains}, and its gradient added into every
     * parameter's (which Adam's update then clears); returns the loss.
     */
    float backwardLoss(NDArray data, NDArray chains) {
        try (NDScope scope = new NDScope(); GradientCollector tape = model.engine().newGradientCollector()) {
            NDArray eData = model.energy(data, true), eModel = model.energy(chains, true);
            NDArray regulariser = eData.square().mean().add(eModel.square().mean());
            NDArray loss = eData.mean().sub(eModel.mean()).add(regulariser.mul(gamma));
            tape.backward(loss);
            return loss.getFloat();
        }
    }

    /** The replay buffer {@code [bufferSize,C,H,W]}. */
    NDArray buffer() {
        return buffer;
    }
}
