package cebm.model;

import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The posteriors and biases of the conjugate models, as the evaluation's posterior-collapse estimate reads them. */
class MixturePosteriorTest {
    @Test
    void theMixtureBiasIsTheMeansAndExpOfTheLogStdsWithEqualWeights() {
        MixtureCebm m = new MixtureCebm(Architecture.CODE_28, 4, 3, true, 1);
        m.parameters().load("prior.log_stds", new float[] {0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1});
        GaussianMixture p = m.bias().orElseThrow();
        assertArrayEquals(new int[] {1, 3, 4}, p.means().shape());
        assertEquals(Math.E, p.stds().get(0, 1, 2), 1e-5);
        assertEquals(Math.exp(-1), p.stds().get(0, 2, 0), 1e-6);
        assertEquals(1 / 3.0, p.weights().get(0, 1), 1e-7);
        float[] means = m.parameters().get("prior.means").value().toArray();
        assertEquals(means[5], p.means().get(0, 1, 1), 0f);
        p.means().backend().copyInto(p.means(), Tensors.zeros(1, 3, 4));
        assertEquals(means[5], m.parameters().get("prior.means").value().toArray()[5], 0f, "a copy, not a view");
    }

    @Test
    void theGaussianBiasIsTheStandardNormal() {
        GaussianMixture p = new GaussianCebm(Architecture.CODE_28, 5, 1).bias().orElseThrow();
        assertArrayEquals(new float[5], p.means().toArray());
        for (float s : p.stds().toArray()) assertEquals(1f, s, 0f);
        assertArrayEquals(new float[] {1f}, p.weights().toArray());
    }

    /** Each component's posterior by the conjugate rule, checked element by element on the host. */
    @Test
    void componentPosteriorsAreTheConjugateUpdateAndTheLatentIsTheMostProbableOnesMean() {
        MixtureCebm m = new MixtureCebm(Architecture.CODE_28, 5, 4, true, 2);
        Tensor x = new RandomStream(3).uniform(CpuBackend.INSTANCE, -1f, 1f, 6, 1, 28, 28);
        EnergyModel.Posterior p = m.posterior(x);
        GaussianMixture q = m.posteriorMixture(x).orElseThrow();
        Encoder.Statistics t = m.encoder.statistics(cebm.autograd.Variable.constant(x));
        float[] means = m.parameters().get("prior.means").value().toArray(), logStds = m.parameters().get("prior.log_stds").value().toArray();
        for (int b = 0; b < 6; b++) {
            int best = 0;
            double sum = 0;
            for (int l = 0; l < 4; l++) {
                assertEquals(p.responsibilities().get(b, l), q.weights().get(b, l), 1e-6);
                sum += q.weights().get(b, l);
                if (q.weights().get(b, l) > q.weights().get(b, best)) best = l;
                for (int k = 0; k < 5; k++) {
                    double precision = Math.exp(-2 * logStds[l * 5 + k]);
                    double a1 = t.t1().value().get(b, k) + means[l * 5 + k] * precision, a2 = t.t2().value().get(b, k) - 0.5 * precision;
                    assertEquals(-a1 / (2 * a2), q.means().get(b, l, k), 1e-4 * Math.max(1, Math.abs(a1 / a2)));
                    assertEquals(Math.sqrt(-0.5 / a2), q.stds().get(b, l, k), 1e-5);
                }
            }
            assertEquals(1, sum, 1e-5);
            assertTrue(q.weights().get(b, best) > 0);
            for (int k = 0; k < 5; k++) {
                assertEquals(p.mean().get(b, k), q.means().get(b, best, k), 1e-6);
                assertEquals(p.std().get(b, k), q.stds().get(b, best, k), 1e-6);
            }
        }
    }
}
