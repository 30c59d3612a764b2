package cebm.bench;

import cebm.model.Architecture;
import cebm.model.GaussianCebm;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.train.Sgld;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SGLD step of the CEBM at batch 128 — forward pass, gradient w.r.t. the input, update
 * {@code x ← x − step·∇E + noise·ε} — on the paper's 28×28 and 32×32 encoders, on the CPU or the
 * GPU ({@link BackendState}). The sampler runs its own workspace scopes and reads the gradient norm
 * back, so each step ends with the GPU done. Run with {@code -prof gc} to see the allocation per step.
 */
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class SgldStepBench extends BenchmarkDefaults {
    static final int BATCH = 128;
    static final int LATENT = 128;

    @Param({"paper28", "paper32"})
    public String arch;

    private GaussianCebm model;
    private Tensor chains;
    private Sgld sgld;
    private RandomStream random;
    private long flopsPerStep;

    @Setup
    public void setUp(BackendState on) {
        Architecture a = Architecture.named(arch);
        model = new GaussianCebm(a, LATENT, 0);
        on.place(model);
        random = new RandomStream(1);
        chains = random.uniform(on.device, -1f, 1f, BATCH, a.channels(), a.size(), a.size());
        sgld = new Sgld(1.0f, 7.5e-3f);
        flopsPerStep = EncoderWork.sgldStepFlops(a, BATCH, LATENT);
    }

    @Benchmark
    public double sgldStep(GflopCounter work) {
        work.add(flopsPerStep);
        return sgld.run(model, chains, 1, random).meanGradNorm();
    }
}
