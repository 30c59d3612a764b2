package cebm.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.autograd.ops.Add;
import cebm.autograd.ops.Composite;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import cebm.train.TrainConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The PyTorch peer of the benchmarks computes what this engine computes: on the same weights (the
 * paper-mnist preset's model, copied) and the same images, the energies, ∂E/∂x and the loss's
 * gradient in every parameter agree. Also that libtorch came from the class path, offline, and that
 * a training iteration runs and trains the weights that SGLD uses.
 *
 * <p>Tolerances are relative errors ‖peer − this engine‖/‖this engine‖ in double (NaN and
 * infinities fail). Both compute in fp32 and sum in different orders (libtorch's convolutions,
 * this engine's GEMMs), so results differ by rounding only, which grows like √n·u for a sum of n
 * terms (u = 6e-8) and at worst like n·u. A wrong term — the log-normalizer's log, a sign, λ —
 * gives errors of order 1, orders of magnitude above either tolerance.
 */
class TorchCebmTest {
    private static final int BATCH = 32;
    private NDManager manager;
    private Engine torch;

    @BeforeEach
    void start() {
        torch = TorchEngine.get();
        manager = torch.newBaseManager();
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    /** The paper-mnist preset, whose model the training benchmark uses. */
    private static TrainConfig preset() {
        return TrainConfig.preset("paper-mnist");
    }

    private static Tensor uniform(long seed, Architecture a) {
        return new RandomStream(seed).uniform(CpuBackend.INSTANCE, -1f, 1f, BATCH, a.channels(), a.size(), a.size());
    }

    private NDArray copy(Tensor t) {
        return TorchCebm.owned(manager, t.toArray(), t.shape());
    }

    @Test
    void libtorchIsTheOneOnTheClassPathExtractedOffline() {
        assertTrue(Utils.isOfflineMode(), "DJL runs offline");
        Path library = Path.of(LibUtils.getLibtorchPath());
        assertTrue(library.startsWith(TorchEngine.cacheDir()), "libtorch from " + library + ", expected under " + TorchEngine.cacheDir());
        assertTrue(torch.getVersion().startsWith("2.7.1"), "libtorch " + torch.getVersion());
    }

    // Energies and ∂E/∂x: sums of at most 1024 products (64 channels × 4×4 taps), six layers deep:
    // √n·u ≈ 2e-6 per sum, n·u ≈ 6e-5; 1e-4.
    @Test
    void energiesAndTheirGradientInTheImagesAgree() {
        EnergyModel ours = preset().newModel();
        TorchCebm peer = new TorchCebm(torch, manager, ours);
        Tensor x = uniform(11, ours.architecture());
        Variable xv = Variable.parameter(x);
        Variable energy = ours.energy(xv);
        Tensor gradient = Tape.gradient(energy, xv)[0];
        try (NDScope scope = new NDScope()) {
            NDArray xt = copy(x);
            assertClose("E(x)", energy.value().toArray(), peer.energy(xt, false).toFloatArray(), 1e-4);
            assertClose("dE/dx", gradient.toArray(), peer.inputGradient(xt).toFloatArray(), 1e-4);
        }
    }

    // A parameter's gradient sums over the batch and every output position, up to 32·28·28 = 25 088
    // terms for the first convolution: √n·u ≈ 1e-5, n·u ≈ 1.5e-3; 1e-3.
    @Test
    void theLossGradientsOfEveryParameterAgree() {
        TrainConfig c = preset();
        EnergyModel ours = c.newModel();
        TorchCebm peer = new TorchCebm(torch, manager, ours);
        TorchTrainer trainer = new TorchTrainer(c, peer, TrainingIterationBench.noiseImages(ours.architecture(), 4), manager);
        // Data smoother than the chains, so that the two energies and their gradients differ.
        Tensor data = Ops.mul(uniform(12, ours.architecture()), 0.1f), chains = uniform(13, ours.architecture());
        Variable eData = ours.energy(Variable.constant(data)), eModel = ours.energy(Variable.constant(chains));
        Variable regulariser = Add.apply(Composite.mean(Square.apply(eData)), Composite.mean(Square.apply(eModel)));
        Variable loss = Add.apply(Sub.apply(Composite.mean(eData), Composite.mean(eModel)), Mul.apply(regulariser, c.gamma()));
        loss.backward();
        float peerLoss;
        try (NDScope scope = new NDScope()) {
            peerLoss = trainer.backwardLoss(copy(data), copy(chains));
        }
        assertClose("loss", new float[] {loss.value().item()}, new float[] {peerLoss}, 1e-4);
        for (Map.Entry<String, Variable> p : ours.parameters().asMap().entrySet()) {
            try (NDArray g = peer.parameters().get(p.getKey()).getGradient()) {
                assertClose("dL/d" + p.getKey(), p.getValue().grad().toArray(), g.toFloatArray(), 1e-3);
            }
        }
    }

    /** The peer's training iteration runs, and Adam's in-place update reaches the weights SGLD reads. */
    @Test
    void aTrainingIterationMovesTheWeightsThatSgldUses() {
        TrainConfig c = preset();
        c = c.with("sgldSteps", 2);
        c = c.with("bufferSize", 64);
        EnergyModel ours = c.newModel();
        TorchCebm peer = new TorchCebm(torch, manager, ours);
        TorchTrainer trainer = new TorchTrainer(c, peer, TrainingIterationBench.noiseImages(ours.architecture(), 16), manager);
        Tensor x = uniform(14, ours.architecture());
        float[] before;
        try (NDScope scope = new NDScope()) {
            before = peer.energy(copy(x), false).toFloatArray();
        }
        float loss = trainer.step();
        assertTrue(Float.isFinite(loss), "loss " + loss);
        try (NDScope scope = new NDScope()) {
            NDArray xt = copy(x);
            float[] fixed = peer.energy(xt, false).toFloatArray(), trainable = peer.energy(xt, true).stopGradient().toFloatArray();
            assertArrayEquals(trainable, fixed, "SGLD's weights are the trained ones");
            double change = relativeError(before, fixed);
            assertTrue(change > 0, "one Adam step changes the energies");
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < actual.length; i++) {
            if (!Float.isFinite(actual[i])) fail(what + ": element " + i + " is " + actual[i] + " (expected " + expected[i] + ")");
        }
        double relative = relativeError(expected, actual);
        System.out.printf("%-22s relative error %.3g (tolerance %.0e)%n", what, relative, tolerance);
        assertTrue(relative <= tolerance, String.format("%s: relative error %.3g > %.3g", what, relative, tolerance));
    }

    /** ‖actual − expected‖/‖expected‖, in double. */
    private static double relativeError(float[] expected, float[] actual) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - (double) expected[i]) * (actual[i] - (double) expected[i]);
            norm += expected[i] * (double) expected[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
    }
}
