package cebm.bench;

import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The batched conjugate log-normalizer {@code out[b,l] = Σ_k B(λ[l,k] + t[b,k])} and its
 * gradient, at batch 128 and K = 128, for the Gaussian bias (L = 1) and a 10-component mixture,
 * on the CPU or the GPU ({@link BackendState}). It is bound by memory traffic, so the work reported
 * is bytes moved (inputs read, outputs written). On a GPU these inputs are far too small to fill
 * the device: the time is mostly the launch and the wait for the result.
 */
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class LogNormalizerBench extends BenchmarkDefaults {
    static final int BATCH = 128;
    static final int LATENT = 128;

    @Param({"1", "10"})
    public int components;

    private Tensor t1, t2, lambda1, lambda2, gradOut;
    private long forwardBytes, gradientBytes;

    @Setup
    public void setUp(BackendState on) {
        // Drawn on the CPU, so that every backend gets the same numbers.
        RandomStream r = new RandomStream(3);
        CpuBackend cpu = CpuBackend.INSTANCE;
        t1 = r.uniform(cpu, -1f, 1f, BATCH, LATENT).to(on.device);
        t2 = Ops.neg(Ops.square(r.uniform(cpu, -1f, 1f, BATCH, LATENT))).to(on.device);
        lambda1 = r.uniform(cpu, -1f, 1f, components, LATENT).to(on.device);
        lambda2 = r.uniform(cpu, -1f, -0.5f, components, LATENT).to(on.device);
        gradOut = r.uniform(cpu, 0f, 1f, BATCH, components).to(on.device);
        long statistics = 2L * BATCH * LATENT * Float.BYTES, bias = 2L * components * LATENT * Float.BYTES;
        long out = (long) BATCH * components * Float.BYTES;
        forwardBytes = statistics + bias + out;
        gradientBytes = out + 2 * (statistics + bias); // read g, t and λ; write ∂t and ∂λ
    }

    @Benchmark
    public float forward(BackendState on, ByteCounter work) {
        work.add(forwardBytes);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(on.device.logNormalizer(t1, t2, lambda1, lambda2));
        }
    }

    /** Waits for the last of the four gradients, and so for all of them. */
    @Benchmark
    public float gradient(BackendState on, ByteCounter work) {
        work.add(gradientBytes);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(on.device.logNormalizerGrad(gradOut, t1, t2, lambda1, lambda2)[3]);
        }
    }
}
