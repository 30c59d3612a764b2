package cebm.guide;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.model.GaussianCebm;
import cebm.tensor.Tensor;
import cebm.toy.ToyData;
import cebm.toy.ToySetup;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the guides claim, asserted: {@link GuidesTest} checks that the guides show what the
 * examples print; this checks that what they print is right, so that regenerating a guide cannot
 * hide a broken claim.
 */
class GuideExamplesTest {
    @Test
    void theFusedOpsMatchTheirCompositionsAndTheGradientOfBIsTheMean() throws Exception {
        List<String> lines = Guides.output("cebm/src/test/java/cebm/guide/FusedOps.java");
        assertEquals(5, lines.stream().filter(l -> l.endsWith(": true")).count(), String.join("\n", lines));
    }

    @Test
    void finiteDifferencesAgreeWithTheTape() throws Exception {
        assertTrue(Guides.output("cebm/src/test/java/cebm/guide/FiniteDifference.java").contains("GradientCheck mismatches: []"));
    }

    @Test
    void langevinMatchesItsStationaryVarianceAndDivergesPastTwoSigmaSquared() {
        double sigma = 0.1;
        for (double ratio : new double[] {0.1, 1.0, 1.9}) {
            double variance = LangevinOnAGaussian.sampleVariance(sigma, (float) (ratio * sigma * sigma)) / (sigma * sigma);
            double theory = 1 / (1 - ratio / 2);
            // 10 000 chains: the sample variance has a relative standard error of √(2/10⁴) ≈ 1.4%; 6% is over 4 of them.
            assertEquals(theory, variance, 0.06 * theory, "h = " + ratio + " σ²");
        }
        double beyond = LangevinOnAGaussian.sampleVariance(sigma, (float) (2.1 * sigma * sigma));
        assertTrue(!(beyond < 1e6), "h = 2.1 σ² diverges, variance " + beyond);
    }

    @Test
    void contrastiveDivergencePushesTheDataBelowNoise() {
        ContrastiveDivergence.Gap gap = ContrastiveDivergence.run(300);
        assertTrue(gap.after() > 1 && gap.after() > gap.before() + 1, gap.toString());
    }

    @Test
    void theEnergyIsMinusTheStatisticsAgainstThePriorMeanMinusKl() {
        GaussianCebm model = ToySetup.model(ToySetup.LATENT, 3);
        Tensor x = ToyData.TWO_RINGS.generate(32, 1).batch(IntStream.range(0, 32).toArray());
        double[] fromPosterior = BregmanView.fromPosterior(model, x);
        float[] energy;
        try (GradMode.Scope off = GradMode.disabled()) {
            energy = model.energy(Variable.constant(x)).value().toArray();
        }
        // The model computes in float32 through the log-normalizer; the posterior route in double from float32 μ̃, σ̃.
        for (int b = 0; b < energy.length; b++) assertEquals(energy[b], fromPosterior[b], 1e-4 * (1 + Math.abs(energy[b])), "x" + b);
    }

    @Test
    void theKernelCheckPassesTheKernelAndCatchesThePoison() throws Exception {
        List<String> lines = Guides.output("cebm/src/test/java/cebm/guide/KernelCheck.java");
        assertTrue(lines.contains("fused CPU kernel: 0 mismatches of 256"), String.join("\n", lines));
        assertTrue(lines.contains("kernel that skips the last image: 4 mismatches of 256"), String.join("\n", lines));
    }
}
