package cebm.guide;

import cebm.tensor.Backend;
import cebm.tensor.Ops;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;

import java.util.Arrays;

/**
 * docs/cuda-kernels.md: the check every kernel of a backend passes before it is used, shown on the
 * batched log-normalizer of the CPU backend, so that it runs on any machine (the CUDA kernels' own
 * checks are the GPU tests of the kernels module). B = batch, K = latent dimensions, L = prior
 * components.
 */
public final class KernelCheck {
    private static final int B = 64, K = 16, L = 4;

    private KernelCheck() {}

    public static void main(String[] args) {
        // region check
        RandomStream random = new RandomStream(11);
        Backend cpu = CpuBackend.INSTANCE;
        Tensor t1 = random.uniform(cpu, -1f, 1f, B, K);                          // inputs in [−1, 1] ...
        Tensor t2 = Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, B, K)));     // ... with t2 ≤ 0
        Tensor lambda1 = random.uniform(cpu, -1f, 1f, L, K);
        Tensor lambda2 = Ops.add(Ops.neg(Ops.square(random.uniform(cpu, -1f, 1f, L, K))), -0.5f);  // λ2 ≤ −½

        float[] expected = reference(t1, t2, lambda1, lambda2).toArray();
        float[] actual = cpu.logNormalizer(t1, t2, lambda1, lambda2).toArray();  // the kernel under test
        System.out.println("fused CPU kernel: " + validate(expected, actual) + " mismatches of " + expected.length);

        // A kernel whose launch misses the last image: its part of the output still holds the poison.
        float[] poisoned = new float[B * L];
        Arrays.fill(poisoned, Float.NaN);
        System.arraycopy(actual, 0, poisoned, 0, (B - 1) * L);
        System.out.println("kernel that skips the last image: " + validate(expected, poisoned) + " mismatches of " + expected.length);
        // endregion

        System.out.println("bytes moved at the spec's sizes (B = 128, K = 128): L = 1: " + bytesMoved(128, 128, 1)
                + ", L = 20: " + bytesMoved(128, 128, 20));
    }

    // region bytes
    /**
     * What the forward kernel must read and write at least, in bytes: t1, t2 {@code [B,K]}, λ1, λ2
     * {@code [L,K]} in, out {@code [B,L]} out, float32. Achieved bandwidth = this / measured time.
     */
    static long bytesMoved(int b, int k, int l) {
        return 4L * (2L * b * k + 2L * l * k + (long) b * l);
    }
    // endregion

    // region reference
    /** out[b,l] = Σ_k B(λ[l,k] + t[b,k]), B(a1, a2) = −a1²/(4 a2) − ½ log(−2 a2), from primitive ops only. */
    static Tensor reference(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        Tensor a1 = Ops.add(Ops.unsqueeze(t1, 1), Ops.unsqueeze(lambda1, 0));   // [B,1,K] + [1,L,K] → [B,L,K]
        Tensor a2 = Ops.add(Ops.unsqueeze(t2, 1), Ops.unsqueeze(lambda2, 0));
        Tensor quadratic = Ops.neg(Ops.div(Ops.square(a1), Ops.mul(a2, 4f)));
        Tensor logTerm = Ops.mul(Ops.log(Ops.mul(a2, -2f)), 0.5f);
        return Ops.sum(Ops.sub(quadratic, logTerm), 2);                         // [B,L]
    }
    // endregion

    // region validate
    /**
     * Counts the elements where |actual − expected| > atol + rtol·|expected| and prints the first
     * five with their index and values. NaN fails every comparison, so a poisoned output element
     * that the kernel never wrote cannot pass.
     * <p>Tolerance: each reference term goes through about six float32 roundings (≈ 6e-8 relative
     * each) and K = 16 terms of size up to ~2 are summed, so the reference carries errors of order
     * 16 · 2 · 6e-8 ≈ 2e-6 (the fused kernel sums in double and rounds once). atol = 1e-5 is five
     * times that; rtol = 1e-5 scales it for the larger outputs.
     */
    static int validate(float[] expected, float[] actual) {
        double atol = 1e-5, rtol = 1e-5;
        int mismatches = 0;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
                if (mismatches++ < 5) System.out.printf("  [%d] expected %.4f, got %s%n", i, expected[i], actual[i]);
            }
        }
        return mismatches;
    }
    // endregion
}
