package cebm.train;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;

/**
 * The persistent chains of PCD (spec §2, steps 2 and 4): a buffer of images, initialised with
 * uniform noise on [−1, 1]. Each training step draws a batch of them (with replacement), restarts
 * each chain from fresh noise with probability 1 − reuse, runs SGLD, and writes the results back.
 * Keeping chains alive across steps lets short SGLD runs approach the model's distribution over
 * the course of training.
 */
public final class ReplayBuffer {
    private final Tensor images;
    private final float reuse;

    /** One drawn batch: which buffer rows, and the chains to run (a fresh tensor). */
    public record Draw(int[] rows, Tensor chains) {}

    public ReplayBuffer(Backend backend, int size, int[] imageShape, float reuse, RandomStream random) {
        int[] shape = new int[imageShape.length + 1];
        shape[0] = size;
        System.arraycopy(imageShape, 0, shape, 1, imageShape.length);
        this.images = random.uniform(backend, -1f, 1f, shape);
        this.reuse = reuse;
    }

    /** Restores a saved buffer (from a checkpoint). */
    public ReplayBuffer(Tensor images, float reuse) {
        this.images = images;
        this.reuse = reuse;
    }

    // region draw (quoted in docs/energy-based-models.md)
    public Draw draw(int batch, RandomStream random) {
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) rows[i] = random.nextInt(images.size(0));
        Tensor chains = images.backend().gatherRows(images, rows);
        int[] imageShape = chains.slice(0, 1).shape();
        for (int i = 0; i < batch; i++) {
            if (random.nextFloat() >= reuse) {
                imageShape[0] = 1;
                Tensor fresh = random.uniform(images.backend(), -1f, 1f, imageShape);
                chains.backend().scatterRows(chains, new int[] {i}, fresh);
            }
        }
        return new Draw(rows, chains);
    }
    // endregion

    public void writeBack(Draw draw) {
        images.backend().scatterRows(images, draw.rows(), draw.chains());
    }

    /** The buffer itself {@code [size, C, H, W]} (for checkpoints and picture grids). */
    public Tensor images() {
        return images;
    }

    public float reuse() {
        return reuse;
    }
}
