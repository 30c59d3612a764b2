package cebm.guide;

import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/**
 * docs/energy-based-models.md, section 3: the SGLD update of {@link cebm.train.Sgld} on an energy
 * whose answer is known, E(x) = x²/(2σ²), the Gaussian N(0, σ²). With step h the update is
 * x ← (1 − h/σ²) x + √(2h) ε, whose stationary variance is σ² / (1 − h/(2σ²)): close to σ² for
 * small steps, twice σ² at h = σ², and none at all (the chains fly off) once h ≥ 2σ².
 */
public final class LangevinOnAGaussian {
    private static final int CHAINS = 10_000;
    private static final int STEPS = 400;

    private LangevinOnAGaussian() {}

    public static void main(String[] args) {
        double sigma = 0.1;
        for (double ratio : new double[] {0.1, 1.0, 1.9, 2.1}) {
            double variance = sampleVariance(sigma, (float) (ratio * sigma * sigma)) / (sigma * sigma);
            System.out.printf("h = %.1f sigma^2: variance %s, theory %s%n", ratio,
                    variance < 1e6 ? String.format("%.3g sigma^2", variance) : "diverged",
                    ratio < 2 ? String.format("%.3g sigma^2", 1 / (1 - ratio / 2)) : "none (the chains fly off)");
        }
    }

    // region langevin
    /** The variance of CHAINS chains after STEPS SGLD steps of size h on E(x) = x²/(2σ²), started at 0. */
    static double sampleVariance(double sigma, float h) {
        RandomStream random = new RandomStream(3);
        Tensor x = Tensors.zeros(CHAINS);
        for (int s = 0; s < STEPS; s++) {
            Tensor grad = Ops.mul(x, (float) (1 / (sigma * sigma)));     // ∇E(x) = x/σ²
            long counter = random.reserveNormals(CHAINS);                  // the noise: N(0, 1) from the stream
            x.backend().sgldUpdate(x, grad, h, (float) Math.sqrt(2 * h), random.seed(), counter);
        }
        return Ops.mean(Ops.square(x)).item();                            // the mean is 0
    }
    // endregion
}
