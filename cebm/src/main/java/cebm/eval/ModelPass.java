package cebm.eval;

import cebm.autograd.GradMode;
import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.data.Dataset;
import cebm.model.EnergyModel;
import cebm.model.GaussianMixture;
import cebm.tensor.Tensor;

import java.util.Arrays;

/**
 * The model-specific part of the evaluation: running a trained model over many images, in chunks of
 * {@link #CHUNK}, to get what the metrics consume — latent means, whole posteriors, and the two OOD scores.
 */
public final class ModelPass {
    /** Images per forward pass. */
    public static final int CHUNK = 256;

    private ModelPass() {}

    /** What one pass over a set of images gives. */
    public record Encoded(float[][] means, PosteriorCollapse.Mixtures posteriors) {}

    /** How many chunks a pass over {@code n} images reports to its {@link Steps}. */
    public static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /**
     * The latent representation of each image (posterior mean μ̃; the first hidden layer of the energy MLP for the IGEBM) and,
     * for the first {@code posteriorRows} images if the model has one, the whole posterior q(z | x): one Gaussian per image
     * for the CEBM, a mixture of L Gaussians weighted by p(y = l | x) for the GMM-CEBM. Only the first ones, because the
     * posteriors of a whole training set of GMM-CEBM mixtures would take hundreds of megabytes.
     */
    public static Encoded encode(EnergyModel model, Dataset data, int[] rows, int posteriorRows, Steps steps) {
        if (posteriorRows < 0 || posteriorRows > rows.length) {
            throw new IllegalArgumentException("posteriors of " + posteriorRows + " of " + rows.length + " images");
        }
        float[][] means = new float[rows.length][];
        boolean posteriors = posteriorRows > 0 && model.bias().isPresent();
        float[] postMeans = null, postStds = null;
        double[] weights = null;
        int components = 0, dim = 0;
        for (int start = 0; start < rows.length; start += CHUNK) {
            int n = Math.min(CHUNK, rows.length - start);
            int kept = Math.max(0, Math.min(n, posteriorRows - start)); // images of this chunk whose posterior is kept
            // On the model's backend: the learning probe encodes while a model trains on a GPU.
            Tensor images = data.batch(Arrays.copyOfRange(rows, start, start + n)).to(model.parameters().backend());
            Tensor latent;
            if (posteriors && kept > 0) {
                // One encoder pass gives the whole posterior and, from it, the latent.
                GaussianMixture q = model.posteriorMixture(images).orElseThrow();
                latent = q.mostProbable()[0];
                if (postMeans == null) {
                    components = q.components();
                    dim = q.dim();
                    postMeans = new float[posteriorRows * components * dim];
                    postStds = new float[posteriorRows * components * dim];
                    weights = new double[posteriorRows * components];
                }
                int o = start * components * dim;
                System.arraycopy(q.means().toArray(), 0, postMeans, o, kept * components * dim);
                System.arraycopy(q.stds().toArray(), 0, postStds, o, kept * components * dim);
                float[] w = q.weights().toArray();
                for (int j = 0; j < kept * components; j++) weights[start * components + j] = w[j];
            } else {
                latent = model.posterior(images).mean();
            }
            float[] mean = latent.toArray();
            int width = latent.size(1);
            for (int i = 0; i < n; i++) means[start + i] = Arrays.copyOfRange(mean, i * width, (i + 1) * width);
            steps.advance("encoding " + data.name());
        }
        PosteriorCollapse.Mixtures mixtures = postMeans == null ? null
                : new PosteriorCollapse.Mixtures(posteriorRows, components, dim, weights, postMeans, postStds);
        return new Encoded(means, mixtures);
    }

    /**
     * The bias p(z) as a mixture on the host: N(0, I) for the CEBM (λ = (0, −½) in every dimension,
     * spec §1), the uniform mixture of the model's L Gaussians for the GMM-CEBM; null for the IGEBM.
     */
    public static PosteriorCollapse.Mixtures bias(EnergyModel model) {
        return model.bias().map(p -> {
            float[] w = p.weights().toArray();
            double[] weights = new double[w.length];
            for (int l = 0; l < w.length; l++) weights[l] = w[l];
            return new PosteriorCollapse.Mixtures(1, p.components(), p.dim(), weights, p.means().toArray(), p.stds().toArray());
        }).orElse(null);
    }

    /**
     * The two OOD scores of each image: log p(x) = −E(x) (up to log Z) and ‖∇x log p(x)‖ = ‖∂E/∂x‖, the L2
     * norm over all pixels. One forward and one backward pass per chunk; the gradient of the summed energy
     * is each image's own gradient, as the images of a batch do not interact.
     */
    public static OutOfDistribution.Scores scores(EnergyModel model, Dataset data, int[] rows, Steps steps) {
        double[] logDensity = new double[rows.length], gradientNorm = new double[rows.length];
        for (int start = 0; start < rows.length; start += CHUNK) {
            int n = Math.min(CHUNK, rows.length - start);
            Tensor images = data.batch(Arrays.copyOfRange(rows, start, start + n));
            Variable x = Variable.parameter(images);
            Variable energy = model.energy(x);
            float[] e = energy.value().toArray();
            float[] g = Tape.gradient(energy, x)[0].contiguous().toArray();
            int size = g.length / n;
            for (int i = 0; i < n; i++) {
                logDensity[start + i] = -e[i];
                double s = 0;
                for (int j = i * size; j < (i + 1) * size; j++) s += (double) g[j] * g[j];
                gradientNorm[start + i] = Math.sqrt(s);
            }
            steps.advance("scoring " + data.name());
        }
        return new OutOfDistribution.Scores(logDensity, gradientNorm);
    }

    /** E(x) of each image, without recording a graph. */
    public static float[] energies(EnergyModel model, Dataset data, int[] rows, Steps steps) {
        float[] out = new float[rows.length];
        for (int start = 0; start < rows.length; start += CHUNK) {
            int n = Math.min(CHUNK, rows.length - start);
            Tensor images = data.batch(Arrays.copyOfRange(rows, start, start + n));
            try (GradMode.Scope off = GradMode.disabled()) {
                System.arraycopy(model.energy(Variable.constant(images)).value().toArray(), 0, out, start, n);
            }
            steps.advance("energies of " + data.name());
        }
        return out;
    }

    /** The images themselves as points of pixel space, one flat row each. */
    public static float[][] pixels(Dataset data, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = data.image(rows[i]);
        return out;
    }
}
