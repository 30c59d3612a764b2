package cebm.train;

import cebm.autograd.Adam;
import cebm.autograd.Tape;
import cebm.autograd.Variable;
import cebm.autograd.ops.Add;
import cebm.autograd.ops.Composite;
import cebm.autograd.ops.Mul;
import cebm.autograd.ops.Square;
import cebm.autograd.ops.Sub;
import cebm.cli.Main;
import cebm.data.Dataset;
import cebm.data.SampleFiles;
import cebm.data.SyntheticDigits;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole model on the CUDA backend against the CPU: same seed, same initial weights (built on
 * the CPU, then one copy moved to the GPU), the paper's MNIST network, a batch of 8. Energies,
 * ∂E/∂x, the loss's parameter gradients, 60 SGLD steps, one Trainer step, a resumed checkpoint,
 * and the command line. Skipped, with the probe's reason, where the CUDA backend cannot run.
 *
 * <p>On the emulated device (docs/cuda-kernels.md, section 8) an SGLD step of this network takes
 * about a second, so there the chains run {@value #EMULATED_SGLD_STEPS} steps instead of 60 (the
 * same code, fewer repetitions), unless {@code -Dcebm.cuda.emulated.all=true} asks for all 60.
 *
 * <p>Tolerances are relative errors ‖gpu − cpu‖/‖cpu‖ (NaN fails); the GPU sums in another order
 * than the CPU, so float32 results differ by rounding, which is what each tolerance allows for.
 */
@Tag("gpu")
class CudaEquivalenceTest {
    private static final Dataset TRAIN = SyntheticDigits.train(200, 1);
    private static final Dataset TEST = SyntheticDigits.test(50, 1);
    private static final int BATCH = 8;
    private static final int EMULATED_SGLD_STEPS = 6;
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static Backend cuda;
    private static boolean emulated;

    /** Per test rather than per class, so that each test is reported as skipped, with the reason. */
    @BeforeEach
    void requireTheGpu() {
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals("cuda")).findFirst().orElse(null);
        assumeTrue(provider != null, "no cuda backend on the class path");
        BackendProvider.Availability a = provider.availability();
        assumeTrue(a.usable(), a.summary());
        cuda = provider.backend();
        emulated = a.summary().contains("emulated device");
    }

    /** 60, the authors' number, except on the emulated device (see the class comment). */
    private static int sgldSteps() {
        return emulated && !Boolean.getBoolean("cebm.cuda.emulated.all") ? EMULATED_SGLD_STEPS : 60;
    }

    /** The authors' code settings (SGLD step 1, noise 7.5e-3, 60 steps) on the paper's MNIST network. */
    private static TrainConfig config(String model) {
        TrainConfig c = TrainConfig.preset("code-mnist");
        c = c.with("sgldSteps", sgldSteps());
        c = c.with("arch", "paper28");
        c = c.with("model", model);
        c = c.with("batch", BATCH);
        c = c.with("bufferSize", 64);
        c = c.with("sampleSteps", 2);
        return c;
    }

    private static EnergyModel onGpu(TrainConfig c) {
        EnergyModel m = c.newModel();
        m.parameters().moveTo(cuda);
        return m;
    }

    private static Tensor noise(long seed) {
        return new RandomStream(seed).uniform(CPU, -1f, 1f, BATCH, 1, 28, 28);
    }

    /** ‖actual − expected‖/‖expected‖ ≤ tolerance; any non-finite element fails. */
    static void assertClose(String what, Tensor expected, Tensor actual, double tolerance) {
        assertClose(what, expected, actual, 0, tolerance);
    }

    /**
     * ‖actual − expected‖/max(‖expected‖, scale) ≤ tolerance; any non-finite element fails. The
     * scale is the size of what was summed into the expected values, where they are a difference of
     * near-equal terms: rounding is relative to the terms, not to their difference.
     */
    static void assertClose(String what, Tensor expected, Tensor actual, double scale, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray(), a = actual.toArray();
        double diff = 0, norm = 0;
        for (int i = 0; i < e.length; i++) {
            if (!Float.isFinite(a[i])) fail(what + ": element " + i + " is " + a[i] + " (expected " + e[i] + ")");
            diff += (a[i] - e[i]) * (double) (a[i] - e[i]);
            norm += e[i] * (double) e[i];
        }
        double reference = Math.max(Math.sqrt(norm), scale);
        double relative = reference == 0 ? Math.sqrt(diff) : Math.sqrt(diff) / reference;
        assertTrue(relative <= tolerance, String.format("%s: relative error %.3g > %.3g", what, relative, tolerance));
    }

    private static void assertCloseScalar(String what, double expected, double actual, double tolerance) {
        assertTrue(Double.isFinite(actual), what + " is " + actual);
        assertEquals(expected, actual, tolerance * Math.max(1, Math.abs(expected)), what);
    }

    // Energies and ∂E/∂x are sums of a few thousand products per element (3×3 convolutions of up
    // to 64 channels, the linear layers): float32 in another order differs by ~1e-6; 1e-4 leaves room.
    @ParameterizedTest
    @ValueSource(strings = {"cebm", "gmm-cebm", "igebm"})
    void energiesAndTheirGradientInTheImagesAgree(String model) {
        TrainConfig c = config(model);
        EnergyModel cpu = c.newModel(), gpu = onGpu(c);
        Tensor x = noise(11);
        Variable xc = Variable.parameter(x), xg = Variable.parameter(x.to(cuda));
        Variable ec = cpu.energy(xc), eg = gpu.energy(xg);
        assertSame(cuda, eg.value().backend());
        assertClose(model + " E(x)", ec.value(), eg.value(), 1e-4);
        assertClose(model + " dE/dx", Tape.gradient(ec, xc)[0], Tape.gradient(eg, xg)[0], 1e-4);
    }

    // A weight's gradient sums over the batch and every output position (8·28·28 terms for the
    // first convolution): 1e-3 of the size of the data and model terms that the loss subtracts
    // (termScales), since where they nearly cancel (the mixture's log-stds) rounding is relative to them.
    @ParameterizedTest
    @ValueSource(strings = {"cebm", "gmm-cebm", "igebm"})
    void theLossGradientsOfEveryParameterAgree(String model) {
        TrainConfig c = config(model);
        EnergyModel cpu = c.newModel(), gpu = onGpu(c);
        Tensor data = TRAIN.batch(IntStream.range(0, BATCH).toArray()), chains = noise(12);
        Map<String, Double> scales = termScales(c, data, chains);
        loss(cpu, data, chains, c.gamma()).backward();
        loss(gpu, data.to(cuda), chains.to(cuda), c.gamma()).backward();
        for (var p : cpu.parameters().asMap().entrySet()) {
            Tensor g = gpu.parameters().get(p.getKey()).grad();
            assertSame(cuda, g.backend(), p.getKey());
            assertClose(model + " dL/d" + p.getKey(), p.getValue().grad(), g, scales.get(p.getKey()), 1e-3);
        }
    }

    /**
     * For each parameter, ‖∂L_data/∂θ‖ + ‖∂L_model/∂θ‖ on the CPU, where the loss L = L_data + L_model
     * splits into mean(E_data) + γ·mean(E_data²) and −mean(E_model) + γ·mean(E_model²).
     */
    private static Map<String, Double> termScales(TrainConfig c, Tensor data, Tensor chains) {
        Map<String, Double> scales = new HashMap<>();
        for (boolean dataTerm : new boolean[] {true, false}) {
            EnergyModel m = c.newModel();
            Variable e = m.energy(Variable.constant(dataTerm ? data : chains));
            Variable mean = Composite.mean(e);
            Add.apply(dataTerm ? mean : Mul.apply(mean, -1f), Mul.apply(Composite.mean(Square.apply(e)), c.gamma())).backward();
            for (var p : m.parameters().asMap().entrySet()) scales.merge(p.getKey(), norm(p.getValue().grad()), Double::sum);
        }
        return scales;
    }

    /** The training loss of spec §2, as {@link Trainer#step} builds it. */
    private static Variable loss(EnergyModel m, Tensor data, Tensor chains, float gamma) {
        Variable eData = m.energy(Variable.constant(data)), eModel = m.energy(Variable.constant(chains));
        Variable regulariser = Add.apply(Composite.mean(Square.apply(eData)), Composite.mean(Square.apply(eModel)));
        return Add.apply(Sub.apply(Composite.mean(eData), Composite.mean(eModel)), Mul.apply(regulariser, gamma));
    }

    // Both backends draw the same Philox noise, so the chains differ only through ∂E/∂x. At
    // initialisation the SGLD map is close to the identity: on the CPU, a relative perturbation of
    // 5.7e-7 of the start is still 5.7e-7 after these 60 steps (all three models), so rounding
    // differences add up over the steps (≤ 60 × step·‖Δ∇E‖) rather than grow: 1e-4.
    @ParameterizedTest
    @ValueSource(strings = {"cebm", "gmm-cebm", "igebm"})
    void chainsAfterTheSgldStepsAgree(String model) {
        TrainConfig c = config(model);
        Tensor start = noise(13);
        Tensor onCpu = CPU.copy(start), onGpu = start.to(cuda);
        Sgld sgld = new Sgld(c.sgldStep(), c.sgldNoise());
        Sgld.Stats cpuStats = sgld.run(c.newModel(), onCpu, c.sgldSteps(), new RandomStream(14));
        Sgld.Stats gpuStats = sgld.run(onGpu(c), onGpu, c.sgldSteps(), new RandomStream(14));
        assertClose(model + " chains after " + c.sgldSteps() + " SGLD steps", onCpu, onGpu, 1e-4);
        assertCloseScalar(model + " mean ‖dE/dx‖", cpuStats.meanGradNorm(), gpuStats.meanGradNorm(), 1e-4);
    }

    /**
     * One whole training step (data noise, buffer draw, the SGLD steps, loss, backward, Adam) from the
     * same state. Adam's moments after the first step are (1−β1)·g and (1−β2)·g², the step's
     * gradients: 1e-3 as above, of ‖m‖ (‖v‖) times the ratio termScales / ‖g‖ that the loss gradient
     * has at the start (the chains of this step begin as noise and move little).
     *
     * <p>The first Adam step moves each element by −lr·u(g) with u(g) = g/(|g| + ε), which is ±lr
     * wherever |g| ≫ ε, so an element whose gradient is within rounding of zero may move either way.
     * Each element is therefore held to what its own gradients allow: |u(a) − u(b)| ≤ 2|a − b| /
     * (max(|a|, |b|) + ε), with a and b the CPU's and the GPU's gradient (read from m), plus lr/1000
     * for the rounding of the update itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cebm", "gmm-cebm", "igebm"})
    void oneTrainerStepAgrees(String model) {
        TrainConfig c = config(model);
        Map<String, Double> cancellation = cancellation(c, TRAIN.batch(IntStream.range(0, BATCH).toArray()), noise(12));
        Trainer cpu = new Trainer(c, c.newModel(), TRAIN), gpu = new Trainer(c, onGpu(c), TRAIN);
        Trainer.StepResult rc = cpu.step(), rg = gpu.step();
        assertTrue(rc.applied() && rg.applied(), "both steps applied");
        assertCloseScalar(model + " E_data", rc.energyData(), rg.energyData(), 1e-4);
        assertCloseScalar(model + " E_model", rc.energyModel(), rg.energyModel(), 1e-4);
        assertCloseScalar(model + " loss", rc.loss(), rg.loss(), 1e-4 * (1 + Math.abs(rc.energyData()) + Math.abs(rc.energyModel())));
        assertClose(model + " replay buffer", cpu.buffer().images(), gpu.buffer().images(), 1e-4);
        int i = 0;
        for (var p : cpu.model().parameters().asMap().entrySet()) {
            String name = p.getKey();
            Tensor m = cpu.optimizer().firstMoment(i);
            assertClose(model + " Adam m of " + name, m, gpu.optimizer().firstMoment(i), norm(m) * cancellation.get(name), 1e-3);
            Tensor v = cpu.optimizer().secondMoment(i);
            assertClose(model + " Adam v of " + name, v, gpu.optimizer().secondMoment(i), norm(v) * cancellation.get(name), 1e-3);
            float[] expected = p.getValue().value().toArray(), actual = gpu.model().parameters().get(name).value().toArray();
            float[] gradCpu = m.toArray(), gradGpu = gpu.optimizer().firstMoment(i).toArray();
            for (int k = 0; k < expected.length; k++) {
                if (!Float.isFinite(actual[k])) fail(model + " " + name + "[" + k + "] is " + actual[k]);
                double a = gradCpu[k] / (1 - Adam.BETA1), b = gradGpu[k] / (1 - Adam.BETA1);
                double allowed = c.lr() * (2 * Math.abs(a - b) / (Math.max(Math.abs(a), Math.abs(b)) + Adam.EPS) + 1e-3);
                double moved = Math.abs(actual[k] - expected[k]);
                if (moved > allowed) fail(String.format("%s %s[%d]: CPU and GPU steps differ by %.3g, the gradients (%.3g, %.3g) allow %.3g",
                        model, name, k, moved, a, b, allowed));
            }
            i++;
        }
    }

    /** For each parameter, termScales over ‖∂L/∂θ‖ (1 where nothing cancels). */
    private static Map<String, Double> cancellation(TrainConfig c, Tensor data, Tensor chains) {
        Map<String, Double> scales = termScales(c, data, chains), ratios = new HashMap<>();
        EnergyModel m = c.newModel();
        loss(m, data, chains, c.gamma()).backward();
        for (var p : m.parameters().asMap().entrySet()) ratios.put(p.getKey(), scales.get(p.getKey()) / norm(p.getValue().grad()));
        return ratios;
    }

    private static double norm(Tensor t) {
        double sum = 0;
        for (float v : t.toArray()) sum += v * (double) v;
        return Math.sqrt(sum);
    }

    @Test
    void aCheckpointWrittenOnTheCpuResumesOnTheGpuExactly(@TempDir Path dir) throws IOException {
        TrainConfig c = config("cebm");
        c = c.with("steps", 1);
        c = c.with("sgldSteps", 5);
        Trainer cpu = new Trainer(c, c.newModel(), TRAIN);
        new TrainingRun(cpu, TEST, dir, new Progress(new PrintStream(new ByteArrayOutputStream()), true, 0, 1)).run();

        Trainer gpu = Checkpoint.resume(dir.resolve(TrainingRun.CHECKPOINT), TRAIN, cuda);
        assertEquals(1, gpu.stepCount());
        assertSame(cuda, gpu.buffer().images().backend());
        assertArrayEquals(cpu.buffer().images().toArray(), gpu.buffer().images().toArray(), "replay buffer");
        int i = 0;
        for (var p : cpu.model().parameters().asMap().entrySet()) {
            Tensor moved = gpu.model().parameters().get(p.getKey()).value();
            assertSame(cuda, moved.backend(), p.getKey());
            assertSame(cuda, gpu.optimizer().firstMoment(i).backend(), "Adam's moments live with the parameters");
            assertArrayEquals(p.getValue().value().toArray(), moved.toArray(), p.getKey());
            assertArrayEquals(cpu.optimizer().firstMoment(i).toArray(), gpu.optimizer().firstMoment(i).toArray(), p.getKey());
            assertArrayEquals(cpu.optimizer().secondMoment(i).toArray(), gpu.optimizer().secondMoment(i).toArray(), p.getKey());
            i++;
        }
        // The resumed trainer continues like the one that wrote the checkpoint.
        Trainer.StepResult rc = cpu.step(), rg = gpu.step();
        assertCloseScalar("E_data after resuming", rc.energyData(), rg.energyData(), 1e-4);
        assertCloseScalar("E_model after resuming", rc.energyModel(), rg.energyModel(), 1e-4);
    }

    /** On 40 MNIST-format images, so that the learning probe at the end encodes few images on the (emulated) device. */
    @Test
    void trainResumeAndSampleRunOnTheGpuFromTheCommandLine(@TempDir Path dir) throws IOException {
        String run = dir.resolve("run").toString();
        Path data = dir.resolve("data");
        SampleFiles.writeMnist(data, 40, 20);
        assertEquals(0, Main.execute("train", "--device", "cuda", "--quiet", "--data", "mnist", "--data-dir", data.toString(),
                "--arch", "paper28", "--steps", "2", "--batch", "8",
                "--sgld-steps", "5", "--buffer-size", "32", "--sample-steps", "2", "--checkpoint-every", "1",
                "--probe-every", "2", "--out", run));
        assertEquals(0, Main.execute("train", "--device", "cuda", "--quiet", "--resume", run));
        Path png = dir.resolve("samples.png");
        assertEquals(0, Main.execute("sample", "--device", "cuda", "--checkpoint", run, "--steps", "5", "--count", "8",
                "--out", png.toString()));
        assertTrue(Files.size(png) > 0);
        assertEquals(0, Main.execute("info"));
    }
}
