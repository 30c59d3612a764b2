package cebm.eval;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Posterior collapse (spec §3, paper Table 3): how far the aggregate posterior is from the bias, and how
 * much the latent says about the image.
 *
 * <p>With posteriors q(z | x_n) (a Gaussian for the CEBM; a mixture of Gaussians for the GMM-CEBM) and the
 * bias p(z) (N(0, I) for the CEBM; the uniform mixture of the model's L Gaussians for the GMM-CEBM), the
 * aggregate posterior of a batch of B images is the mixture
 * <pre>
 *   q̂(z) = 1/B Σ_n q(z | x_n).
 * </pre>
 * <b>Estimator.</b> The images are cut into consecutive batches of B = 1000 (the remainder is dropped; a set
 * smaller than B is one batch of its size). In each batch one z_n ~ q(z | x_n) is drawn per image (first the
 * component, by its weight, then z = μ + σ·ε), so that the z_n are together a sample of q̂. Then
 * <pre>
 *   KL(q̂ ‖ p) = E_q̂[log q̂(z) − log p(z)]                 ≈ 1/B Σ_n [log q̂(z_n) − log p(z_n)]
 *   I(x; z)   = E_n E_q(z|x_n)[log q(z|x_n) − log q̂(z)]   ≈ 1/B Σ_n [log q(z_n | x_n) − log q̂(z_n)]
 * </pre>
 * where log q̂(z_n) is a log-sum-exp over all B images' components (B·L Gaussians), exactly, not sampled.
 * The batch estimates are averaged over batches (and their standard deviation over batches reported).
 * Their sum is the Monte Carlo estimate of E_n KL(q(z | x_n) ‖ p), the familiar "KL term".
 *
 * <p>Two properties of this estimator are worth knowing: the MI estimate is at most log B (≈ 6.9 nats for
 * B = 1000), reached when every posterior is far from every other; and, since q̂ is the aggregate of a
 * batch rather than of the whole data set, both numbers depend a little on B. Being Monte Carlo estimates
 * of quantities that are ≥ 0, they can come out slightly negative when the truth is close to 0 (a collapsed
 * posterior). All densities are in nats.
 */
public final class PosteriorCollapse {
    /** Images per batch, as in the paper. */
    public static final int BATCH = 1000;
    /**
     * The evaluation estimates collapse on the first this many training images: the paper uses training images,
     * and ten batches give a spread over batches without keeping the posteriors of a whole training set.
     */
    public static final int TRAINING_IMAGES = 10_000;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private PosteriorCollapse() {}

    /**
     * {@code count} mixtures of {@code components} diagonal Gaussians in {@code dim} dimensions, stored flat:
     * the weights of mixture i are {@code weights[i·C .. i·C + C)}, the means and standard deviations of its
     * component c are {@code means[(i·C + c)·dim ..]} and {@code stds[...]}.
     */
    public record Mixtures(int count, int components, int dim, double[] weights, float[] means, float[] stds) {
        public Mixtures {
            if (weights.length != count * components || means.length != count * components * dim || stds.length != means.length) {
                throw new IllegalArgumentException("mixtures: array lengths do not match " + count + " × " + components + " × " + dim);
            }
        }

        /** The mixtures {@code from .. to} (a view would do, but a copy keeps the indexing simple). */
        Mixtures rows(int from, int to) {
            int c = components, d = dim;
            return new Mixtures(to - from, c, d, java.util.Arrays.copyOfRange(weights, from * c, to * c),
                    java.util.Arrays.copyOfRange(means, from * c * d, to * c * d), java.util.Arrays.copyOfRange(stds, from * c * d, to * c * d));
        }
    }

    /**
     * @param kl         KL(q̂ ‖ p), mean over batches (nats)
     * @param klStd      its standard deviation over batches (0 for one batch)
     * @param mi         I(x; z), mean over batches (nats)
     * @param miStd      its standard deviation over batches
     * @param batches    how many batches
     * @param batchSize  images per batch
     */
    public record Result(double kl, double klStd, double mi, double miStd, int batches, int batchSize,
            double[] klPerBatch, double[] miPerBatch) {}

    /** How many batches {@link #estimate} will use for {@code n} images. */
    public static int batches(int n, int batchSize) {
        return n >= batchSize ? n / batchSize : 1;
    }

    /**
     * Estimates KL(q̂ ‖ p) and I(x; z) as described in the class comment.
     *
     * @param posteriors one mixture per image (at least one image)
     * @param prior      the bias, a single mixture ({@code count == 1}) of the same dimension
     * @param steps      advanced by one per batch
     */
    public static Result estimate(Mixtures posteriors, Mixtures prior, int batchSize, long seed, Steps steps) {
        if (prior.count() != 1 || prior.dim() != posteriors.dim()) {
            throw new IllegalArgumentException("the prior must be one mixture in " + posteriors.dim() + " dimensions");
        }
        if (posteriors.count() == 0) throw new IllegalArgumentException("posterior collapse: no images");
        int n = posteriors.count();
        int size = Math.min(batchSize, n);
        int batches = batches(n, batchSize);
        SplittableRandom random = new SplittableRandom(seed);
        Components p = new Components(prior);
        double[] kl = new double[batches], mi = new double[batches];
        for (int b = 0; b < batches; b++) {
            Mixtures batch = posteriors.rows(b * size, (b + 1) * size);
            Components q = new Components(batch);
            float[][] z = new float[size][];
            for (int i = 0; i < size; i++) z[i] = q.sample(i, random);
            double[] klTerm = new double[size], miTerm = new double[size];
            IntStream.range(0, size).parallel().forEach(i -> {
                double logAggregate = q.logDensityAll(z[i]) - Math.log(size);
                klTerm[i] = logAggregate - p.logDensity(0, z[i]);
                miTerm[i] = q.logDensity(i, z[i]) - logAggregate;
            });
            kl[b] = FewLabelClassification.mean(klTerm);
            mi[b] = FewLabelClassification.mean(miTerm);
            steps.advance("posterior collapse");
        }
        return new Result(FewLabelClassification.mean(kl), FewLabelClassification.std(kl),
                FewLabelClassification.mean(mi), FewLabelClassification.std(mi), batches, size, kl, mi);
    }

    /** Mixtures with what the density needs precomputed: log weights, 1/σ, and Σ_k log σ per component. */
    private static final class Components {
        final Mixtures m;
        final double[] logWeight;
        final float[] inverseStd;
        final double[] logNormaliser;

        Components(Mixtures m) {
            this.m = m;
            int total = m.count() * m.components(), d = m.dim();
            logWeight = new double[total];
            inverseStd = new float[total * d];
            logNormaliser = new double[total];
            for (int i = 0; i < m.count(); i++) {
                double sum = 0;
                for (int c = 0; c < m.components(); c++) sum += m.weights()[i * m.components() + c];
                for (int c = 0; c < m.components(); c++) logWeight[i * m.components() + c] = Math.log(m.weights()[i * m.components() + c] / sum);
            }
            for (int j = 0; j < total; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    float sd = m.stds()[j * d + k];
                    inverseStd[j * d + k] = 1f / sd;
                    s += Math.log(sd);
                }
                logNormaliser[j] = -s - 0.5 * d * LOG_2PI;
            }
        }

        /** One draw from mixture i: a component by weight, then μ + σ·ε. */
        float[] sample(int i, SplittableRandom random) {
            int c = 0;
            if (m.components() > 1) {
                double u = random.nextDouble(), acc = 0;
                for (c = 0; c < m.components() - 1; c++) {
                    acc += Math.exp(logWeight[i * m.components() + c]);
                    if (u < acc) break;
                }
            }
            int d = m.dim(), o = (i * m.components() + c) * d;
            float[] z = new float[d];
            for (int k = 0; k < d; k++) z[k] = (float) (m.means()[o + k] + m.stds()[o + k] * random.nextGaussian());
            return z;
        }

        /** log of mixture i's density at z. */
        double logDensity(int i, float[] z) {
            return logSumExp(i * m.components(), (i + 1) * m.components(), z);
        }

        /** log Σ over every component of every mixture of w·N(z; μ, σ²) (the mixtures' weights each sum to 1). */
        double logDensityAll(float[] z) {
            return logSumExp(0, m.count() * m.components(), z);
        }

        private double logSumExp(int from, int to, float[] z) {
            int d = m.dim();
            float[] mean = m.means();
            double[] terms = new double[to - from];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = from; j < to; j++) {
                int o = j * d;
                double q = 0;
                for (int k = 0; k < d; k++) {
                    float u = (z[k] - mean[o + k]) * inverseStd[o + k];
                    q += u * u;
                }
                double t = logWeight[j] + logNormaliser[j] - 0.5 * q;
                terms[j - from] = t;
                if (t > max) max = t;
            }
            if (max == Double.NEGATIVE_INFINITY) return max;
            double s = 0;
            for (double t : terms) s += Math.exp(t - max);
            return max + Math.log(s);
        }
    }
}
