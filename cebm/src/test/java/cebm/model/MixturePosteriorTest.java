package cebm.model;

import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read-only views of the GMM-CEBM that the evaluation's posterior-collapse estimate needs. */
class MixturePosteriorTest {
    @Test
    void biasComponentsAreTheMeansAndExpOfTheLogStds() {
        MixtureCebm m = new MixtureCebm(Architecture.CODE_28, 4, 3, true, 1);
        m.parameters().load("prior.log_stds", new float[] {0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1});
        MixtureCebm.Components c = m.biasComponents();
        assertEquals(3, c.means().size(0));
        assertEquals(4, c.means().size(1));
        assertEquals(Math.E, c.stds().get(1, 2), 1e-5);
        assertEquals(Math.exp(-1), c.stds().get(2, 0), 1e-6);
        float[] means = m.parameters().get("prior.means").value().toArray();
        assertEquals(means[5], c.means().get(1, 1), 0f);
        c.means().backend().copyInto(c.means(), Tensors.zeros(3, 4));
        assertEquals(means[5], m.parameters().get("prior.means").value().toArray()[5], 0f, "a copy, not a view");
    }

    @Test
    void componentPosteriorsAgreeWithThePosteriorOfTheMostProbableComponent() {
        MixtureCebm m = new MixtureCebm(Architecture.CODE_28, 5, 4, true, 2);
        Tensor x = new RandomStream(3).uniform(CpuBackend.INSTANCE, -1f, 1f, 6, 1, 28, 28);
        EnergyModel.Posterior p = m.posterior(x);
        MixtureCebm.ComponentPosteriors c = m.componentPosteriors(x);
        for (int b = 0; b < 6; b++) {
            int best = 0;
            double sum = 0;
            for (int l = 0; l < 4; l++) {
                assertEquals(p.responsibilities().get(b, l), c.responsibilities().get(b, l), 1e-6);
                sum += c.responsibilities().get(b, l);
                if (c.responsibilities().get(b, l) > c.responsibilities().get(b, best)) best = l;
            }
            assertEquals(1, sum, 1e-5);
            for (int k = 0; k < 5; k++) {
                assertEquals(p.mean().get(b, k), c.means().get(b, best, k), 1e-5);
                assertEquals(p.std().get(b, k), c.stds().get(b, best, k), 1e-5);
            }
        }
    }
}
