package cebm.toy;

import cebm.model.EnergyModel;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.train.Sgld;

/**
 * SGLD chains recorded step by step, for drawing: the sampler of training ({@link Sgld}), run one
 * step at a time so that every intermediate position can be kept.
 */
final class Trajectories {
    private Trajectories() {}

    /**
     * Moves {@code chains} {@code [B, 2, 1, 1]} in place by {@code steps} SGLD steps and returns the
     * path of each chain: element {@code b} holds (x0, y0, x1, y1, …), {@code steps + 1} points.
     */
    static float[][] run(EnergyModel model, Sgld sgld, Tensor chains, int steps, RandomStream random) {
        int count = chains.size(0);
        float[][] paths = new float[count][2 * (steps + 1)];
        record(chains, paths, 0);
        for (int s = 1; s <= steps; s++) {
            sgld.run(model, chains, 1, random);
            record(chains, paths, s);
        }
        return paths;
    }

    private static void record(Tensor chains, float[][] paths, int step) {
        float[] xy = chains.toArray();
        for (int b = 0; b < paths.length; b++) {
            paths[b][2 * step] = xy[2 * b];
            paths[b][2 * step + 1] = xy[2 * b + 1];
        }
    }
}
