package cebm.model;

import cebm.autograd.Variable;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The energy and posterior of a network small enough to compute by hand: one 2×2 conv with one
 * output channel on a 2×2 image (so the trunk yields one number h), two latent dimensions.
 */
class TinyNetworkTest {
    private static final Architecture TINY = new Architecture("tiny", 1, 2, List.of(new Architecture.ConvLayer(1, 2, 1, 0)), 0);

    @Test
    void energyAndPosteriorMatchTheFormulas() {
        GaussianCebm model = new GaussianCebm(TINY, 2, 0);
        Parameters p = model.parameters();
        p.load("conv0.weight", new float[] {0.5f, 0.5f, 0.5f, 0.5f});
        p.load("conv0.bias", new float[] {0f});
        p.load("head1.weight", new float[] {1f, 2f});
        p.load("head1.bias", new float[] {0f, 0.5f});
        p.load("head2.weight", new float[] {1f, 0f});
        p.load("head2.bias", new float[] {0f, 1f});
        Tensor x = Tensors.of(new float[] {1f, 0f, 0f, 1f}, 1, 1, 2, 2);

        // By hand: z = 0.5·(1 + 0 + 0 + 1) = 1, h = swish(1) = σ(1) = 0.7310586.
        double h = 1 / (1 + Math.exp(-1));
        double[] t1 = {h, 2 * h + 0.5};
        double[] t2 = {-h * h, -1};
        double energy = 0;
        double[] mean = new double[2], std = new double[2];
        for (int k = 0; k < 2; k++) {
            double a1 = 0 + t1[k], a2 = -0.5 + t2[k]; // λ = (0, −½) for N(0, 1)
            double bPosterior = -a1 * a1 / (4 * a2) - 0.5 * Math.log(-2 * a2);
            double bPrior = -0.5 * Math.log(1);
            energy += bPrior - bPosterior;
            mean[k] = -a1 / (2 * a2);
            std[k] = Math.sqrt(-1 / (2 * a2));
        }

        assertEquals(energy, model.energy(Variable.constant(x)).value().item(), 1e-6);
        EnergyModel.Posterior posterior = model.posterior(x);
        for (int k = 0; k < 2; k++) {
            assertEquals(mean[k], posterior.mean().get(0, k), 1e-6);
            assertEquals(std[k], posterior.std().get(0, k), 1e-6);
        }
    }

    @Test
    void mixtureWithOneComponentEqualsTheGaussianModel() {
        // L = 1 with mean 0 and log-std 0 is N(0, 1): E = log 1 − (B(λ + t) − B(λ)), the Gaussian CEBM's energy.
        GaussianCebm gaussian = new GaussianCebm(Architecture.CODE_28, 8, 5);
        MixtureCebm mixture = new MixtureCebm(Architecture.CODE_28, 8, 1, true, 5);
        for (var e : gaussian.parameters().asMap().entrySet()) {
            mixture.parameters().load(e.getKey(), e.getValue().value().toArray());
        }
        mixture.parameters().load("prior.means", new float[8]);
        Tensor x = new cebm.tensor.RandomStream(9).uniform(cebm.tensor.cpu.CpuBackend.INSTANCE, -1f, 1f, 3, 1, 28, 28);
        float[] eg = gaussian.energy(Variable.constant(x)).value().toArray();
        float[] em = mixture.energy(Variable.constant(x)).value().toArray();
        for (int i = 0; i < eg.length; i++) assertEquals(eg[i], em[i], 1e-4 * (1 + Math.abs(eg[i])));
        float[] mg = gaussian.posterior(x).mean().toArray(), mm = mixture.posterior(x).mean().toArray();
        for (int i = 0; i < mg.length; i++) assertEquals(mg[i], mm[i], 1e-5);
    }

    @Test
    void igebmEnergyIsItsTwoLayerMlpAndItsLatentTheFirstHiddenLayer() {
        Igebm model = new Igebm(TINY, 3, 4);
        Parameters p = model.parameters();
        p.load("conv0.weight", new float[] {0.5f, 0.5f, 0.5f, 0.5f});
        p.load("conv0.bias", new float[] {0f});
        float[] w1 = p.get("hidden1.weight").value().toArray(), b1 = p.get("hidden1.bias").value().toArray();
        float[] w2 = p.get("hidden2.weight").value().toArray(), b2 = p.get("hidden2.bias").value().toArray();
        float[] w = p.get("energy.weight").value().toArray(), b = p.get("energy.bias").value().toArray();
        assertEquals(Igebm.CODE_HIDDEN * 3, w2.length, "hidden2 maps the 256 first-hidden units to the latent width");
        Tensor x = Tensors.of(new float[] {1f, 0f, 0f, 1f}, 1, 1, 2, 2);

        // By hand: trunk h = swish(1); h1 = swish(W1·h + b1); h2 = swish(W2·h1 + b2); E = w·h2 + b.
        double h = swish(1);
        double[] h1 = new double[Igebm.CODE_HIDDEN];
        for (int j = 0; j < h1.length; j++) h1[j] = swish(w1[j] * h + b1[j]);
        double energy = b[0];
        for (int k = 0; k < 3; k++) {
            double a = b2[k];
            for (int j = 0; j < h1.length; j++) a += w2[k * h1.length + j] * h1[j];
            energy += w[k] * swish(a);
        }

        assertEquals(energy, model.energy(Variable.constant(x)).value().item(), 1e-5);
        Tensor latent = model.posterior(x).mean();
        for (int j = 0; j < h1.length; j++) assertEquals(h1[j], latent.get(0, j), 1e-6);
    }

    @Test
    void igebmReadsTheArchitecturesOwnHiddenLayerWhereItHasOne() {
        Igebm model = new Igebm(Architecture.PAPER_28, 128, 0);
        var names = model.parameters().asMap();
        assertFalse(names.containsKey("hidden1.weight"), "paper28's FC 128 is the first hidden layer");
        assertArrayEquals(new int[] {128, 128}, names.get("hidden2.weight").shape());
        assertArrayEquals(new int[] {1, 128}, names.get("energy.weight").shape());
        Tensor x = new cebm.tensor.RandomStream(2).uniform(cebm.tensor.cpu.CpuBackend.INSTANCE, -1f, 1f, 2, 1, 28, 28);
        assertArrayEquals(new int[] {2, 128}, model.posterior(x).mean().shape());
    }

    private static double swish(double v) {
        return v / (1 + Math.exp(-v));
    }
}
