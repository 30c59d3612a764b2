package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The SGLD loop replayed from a recorded step (a CUDA graph) against the same loop launched step
 * by step, and against the CPU. The gradient is that of a small energy built like the encoder's
 * first layer: E(x) = Σ swish(conv(x, w) + b)·γ, so ∇x E = convᵀ(swish'(z)·γ).
 */
@GpuTest
class SgldGraphTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final int STEPS = 12;
    private static final float STEP = 0.05f, NOISE = 0.01f;
    private static final long SEED = 5;
    /** The replays run the step-by-step loop's kernels on the same inputs: the same numbers. */
    private static final double SAME_KERNELS = 0;
    /**
     * Against the CPU: the convolutions sum in another order (about 1e-7 relative per step), the
     * noise differs by a float ulp at most, and the step is contracting at this size.
     */
    private static final double CPU_ORDER = 1e-5;

    private final CudaBackend cuda = (CudaBackend) new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(51);

    /** ∇x of Σ swish(conv(x, w) + b)·γ on x's backend; γ is a host scalar, as the model's constants are. */
    private static UnaryOperator<Tensor> gradient(Tensor w, Tensor b) {
        return x -> {
            Conv2dGeometry g = Conv2dGeometry.of("test", x.shape(), w.shape(), 1, 1);
            Tensor z = x.backend().conv2dBiasSwish(x, w, b, g)[1];
            Tensor gradY = Ops.mul(x.backend().full(1f, z.shape()), 0.5f);
            return x.backend().conv2dInputGrad(x.backend().swishBackward(gradY, z), w, g);
        };
    }

    @Test
    void replaysEqualTheStepByStepLoopAndTheCpu() {
        Tensor start = random.uniform(CPU, -1f, 1f, 16, 1, 28, 28);
        Tensor w = random.uniform(CPU, -1f, 1f, 8, 1, 3, 3), b = random.uniform(CPU, -1f, 1f, 8);
        UnaryOperator<Tensor> onCuda = gradient(w.to(cuda), b.to(cuda));

        Tensor replayed = start.to(cuda), stepped = start.to(cuda), onCpu = CPU.copy(start);
        long counter = 1000;
        cuda.sgld(replayed, STEPS, onCuda, STEP, NOISE, SEED, counter, new Workspace());
        // Had the recording failed, the loop would have run step by step, with the same numbers.
        SgldGraph recording = cuda.recording(onCuda);
        assertNotNull(recording, "the SGLD step was recorded");
        // The loop that records takes its first step while recording, and replays the others.
        assertEquals(STEPS - 1, recording.replays(), "replays of the recorded step");
        cuda.sgldStepByStep(stepped, STEPS, onCuda, STEP, NOISE, SEED, counter, new Workspace());
        CPU.sgld(onCpu, STEPS, gradient(w, b), STEP, NOISE, SEED, counter, new Workspace());
        Compare.close("graph vs step by step", stepped, replayed, SAME_KERNELS);
        Compare.close("graph vs cpu", onCpu, replayed, CPU_ORDER);

        // The second run replays the recording made by the first, with a new counter.
        long next = counter + STEPS * RandomStream.normalBlocks(start.numel());
        cuda.sgld(replayed, STEPS, onCuda, STEP, NOISE, SEED, next, new Workspace());
        assertSame(recording, cuda.recording(onCuda));
        assertEquals(2 * STEPS - 1, recording.replays(), "replays of the recorded step");
        cuda.sgldStepByStep(stepped, STEPS, onCuda, STEP, NOISE, SEED, next, new Workspace());
        Compare.close("second run, graph vs step by step", stepped, replayed, SAME_KERNELS);
    }

    /**
     * The gradient may add to a running sum, as the trainer's sampler sums ‖∇x E‖: with a recording,
     * the sum must see each step's chains once, as in the step-by-step loop, and nothing else.
     */
    @Test
    void aGradientWithARunningSumSeesEachStepOnce() {
        Tensor start = random.uniform(CPU, -1f, 1f, 8, 1, 12, 12);
        Tensor w = random.uniform(CPU, -1f, 1f, 4, 1, 3, 3).to(cuda), b = random.uniform(CPU, -1f, 1f, 4).to(cuda);
        UnaryOperator<Tensor> plain = gradient(w, b);
        Tensor replayedSum = cuda.full(0f), steppedSum = cuda.full(0f);
        UnaryOperator<Tensor> replayedWithSum = summing(plain, replayedSum), steppedWithSum = summing(plain, steppedSum);
        Tensor replayed = start.to(cuda), stepped = start.to(cuda);
        cuda.sgld(replayed, STEPS, replayedWithSum, STEP, NOISE, SEED, 7, new Workspace());
        assertNotNull(cuda.recording(replayedWithSum), "the SGLD step was recorded");
        cuda.sgldStepByStep(stepped, STEPS, steppedWithSum, STEP, NOISE, SEED, 7, new Workspace());
        Compare.close("running sum, graph vs step by step", steppedSum, replayedSum, SAME_KERNELS);
        Compare.close("chains, graph vs step by step", stepped, replayed, SAME_KERNELS);
    }

    /** {@code gradient}, adding Σ ∇x² of each step into {@code sum}. */
    private static UnaryOperator<Tensor> summing(UnaryOperator<Tensor> gradient, Tensor sum) {
        return x -> {
            Tensor g = gradient.apply(x);
            x.backend().copyInto(sum, Ops.add(sum, Ops.sum(Ops.square(g))));
            return g;
        };
    }

    /** A gradient that reads to the host cannot be recorded: the loop then runs step by step, with the same result. */
    @Test
    void aStepThatReadsToTheHostRunsStepByStep() {
        Tensor start = random.uniform(CPU, -1f, 1f, 4, 1, 8, 8);
        Tensor w = random.uniform(CPU, -1f, 1f, 2, 1, 3, 3).to(cuda), b = random.uniform(CPU, -1f, 1f, 2).to(cuda);
        UnaryOperator<Tensor> plain = gradient(w, b);
        UnaryOperator<Tensor> reading = x -> {
            Tensor g = plain.apply(x);
            g.toArray();  // a host read: waits for the stream, which a recording cannot do
            return g;
        };
        Tensor fallback = start.to(cuda), stepped = start.to(cuda);
        cuda.sgld(fallback, 3, reading, STEP, NOISE, SEED, 0, new Workspace());
        cuda.sgldStepByStep(stepped, 3, plain, STEP, NOISE, SEED, 0, new Workspace());
        assertNull(cuda.recording(reading), "no recording of a step that reads to the host");
        assertArrayEquals(stepped.toArray(), fallback.toArray());
    }
}
