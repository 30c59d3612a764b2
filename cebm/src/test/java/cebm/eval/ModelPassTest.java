package cebm.eval;

import cebm.autograd.GradMode;
import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.data.Dataset;
import cebm.data.SyntheticDigits;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.model.GaussianCebm;
import cebm.model.Igebm;
import cebm.model.MixtureCebm;
import cebm.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The chunked passes give what the model gives on whole batches, across chunk boundaries. */
class ModelPassTest {
    private static final Dataset DATA = SyntheticDigits.test(ModelPass.CHUNK + 6, 3);
    private static final int[] ROWS = IntStream.range(0, DATA.size()).toArray();

    private static void assertSameMeans(EnergyModel model, ModelPass.Encoded e, int[] rows) {
        for (int i : rows) {
            float[] expected = model.posterior(DATA.batch(new int[] {i})).mean().toArray();
            assertArrayEquals(expected, e.means()[i], 1e-5f, "image " + i);
        }
    }

    @Test
    void gaussianCebmLatentsAndPosteriors() {
        GaussianCebm model = new GaussianCebm(Architecture.CODE_28, 6, 1);
        ModelPass.Encoded e = ModelPass.encode(model, DATA, ROWS, ROWS.length, Steps.NONE);
        assertSameMeans(model, e, new int[] {0, 100, ModelPass.CHUNK - 1, ModelPass.CHUNK, DATA.size() - 1});
        PosteriorCollapse.Mixtures q = e.posteriors();
        assertEquals(DATA.size(), q.count());
        assertEquals(1, q.components());
        int last = DATA.size() - 1;
        float[] std = model.posterior(DATA.batch(new int[] {last})).std().toArray();
        for (int k = 0; k < 6; k++) {
            assertEquals(e.means()[last][k], q.means()[last * 6 + k], 0f);
            assertEquals(std[k], q.stds()[last * 6 + k], 1e-6f);
        }
        PosteriorCollapse.Mixtures p = ModelPass.bias(model);
        assertArrayEquals(new float[6], p.means());
        assertEquals(1f, p.stds()[3], 0f);
    }

    @Test
    void mixtureLatentsAreTheMostProbableComponentsMeans() {
        MixtureCebm model = new MixtureCebm(Architecture.CODE_28, 5, 3, true, 2);
        int[] rows = {0, 1, 2, 3, 4, 5, 6, 7};
        ModelPass.Encoded e = ModelPass.encode(model, DATA, rows, rows.length, Steps.NONE);
        assertSameMeans(model, e, rows);
        assertEquals(3, e.posteriors().components());
        double sum = 0;
        for (int l = 0; l < 3; l++) sum += e.posteriors().weights()[l];
        assertEquals(1, sum, 1e-5);
        PosteriorCollapse.Mixtures p = ModelPass.bias(model);
        assertEquals(3, p.components());
        assertArrayEquals(model.parameters().get("prior.means").value().toArray(), p.means());
    }

    @Test
    void posteriorsAreKeptForTheFirstImagesOnly() {
        // Of the 262 images (chunks of 256), keeping 260 ends inside the last chunk; keeping 200 leaves the last chunk
        // with none to keep. Either way the kept posteriors are those of a whole pass.
        int[] rows = ROWS;
        for (EnergyModel model : new EnergyModel[] {new GaussianCebm(Architecture.CODE_28, 4, 1), new MixtureCebm(Architecture.CODE_28, 4, 3, true, 2)}) {
            PosteriorCollapse.Mixtures all = ModelPass.encode(model, DATA, rows, rows.length, Steps.NONE).posteriors();
            for (int count : new int[] {260, 200}) {
                ModelPass.Encoded first = ModelPass.encode(model, DATA, rows, count, Steps.NONE);
                assertEquals(rows.length, first.means().length, "latent means of every image");
                PosteriorCollapse.Mixtures kept = first.posteriors(), expected = all.rows(0, count);
                assertEquals(count, kept.count());
                assertArrayEquals(expected.means(), kept.means(), model.kind());
                assertArrayEquals(expected.stds(), kept.stds(), model.kind());
                assertArrayEquals(expected.weights(), kept.weights(), model.kind());
            }
        }
    }

    @Test
    void igebmHasFeaturesButNoPosterior() {
        Igebm model = new Igebm(Architecture.CODE_28, 8, 4);
        ModelPass.Encoded e = ModelPass.encode(model, DATA, new int[] {0, 1, 2}, 3, Steps.NONE);
        assertEquals(Igebm.CODE_HIDDEN, e.means()[0].length, "the latent is the first hidden layer");
        assertNull(e.posteriors());
        assertNull(ModelPass.bias(model));
    }

    @Test
    void scoresAreMinusTheEnergyAndEachImagesOwnGradientNorm() {
        GaussianCebm model = new GaussianCebm(Architecture.CODE_28, 6, 1);
        OutOfDistribution.Scores s = ModelPass.scores(model, DATA, ROWS, Steps.NONE);
        for (int i : new int[] {0, ModelPass.CHUNK, DATA.size() - 1}) {
            Tensor image = DATA.batch(new int[] {i});
            float energy;
            try (GradMode.Scope off = GradMode.disabled()) {
                energy = model.energy(Variable.constant(image)).value().item();
            }
            assertEquals(-energy, s.logDensity()[i], 1e-4 * Math.max(1, Math.abs(energy)));
            Variable x = Variable.parameter(image);
            float[] g = Tape.gradient(model.energy(x), x)[0].toArray();
            double norm = 0;
            for (float v : g) norm += v * v;
            assertEquals(Math.sqrt(norm), s.gradientNorm()[i], 1e-4 * Math.sqrt(norm) + 1e-9);
        }
    }
}
