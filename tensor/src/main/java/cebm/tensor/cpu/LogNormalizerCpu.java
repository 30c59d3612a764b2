package cebm.tensor.cpu;

import cebm.tensor.Tensor;
import cebm.tensor.Workspace;

/**
 * The batched Gaussian log-normalizer and its gradient (spec §1), for B images, K latent
 * dimensions and L bias components (L = 1 for the spherical Gaussian).
 *
 * <pre>
 *   a1 = λ1[l,k] + t1[b,k],  a2 = λ2[l,k] + t2[b,k]          (a2 &lt; 0)
 *   B(a1, a2) = −a1² / (4 a2) − ½ log(−2 a2)
 *   ∂B/∂a1 = −a1 / (2 a2) = μ̃          ∂B/∂a2 = a1² / (4 a2²) − 1 / (2 a2) = μ̃² + σ̃²
 * </pre>
 */
final class LogNormalizerCpu {
    private LogNormalizerCpu() {}

    // region forward (quoted in docs/cuda-kernels.md)
    /** out[b,l] = Σ_k B(λ[l,k] + t[b,k]). */
    static Tensor forward(Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        float[] dt1 = CpuBackend.dense(t1), dt2 = CpuBackend.dense(t2);
        float[] dl1 = CpuBackend.dense(lambda1), dl2 = CpuBackend.dense(lambda2);
        int batch = t1.size(0), k = t1.size(1), components = lambda1.size(0);
        float[] out = Workspace.allocate(batch * components);
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < components; l++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    double a1 = dl1[l * k + j] + dt1[b * k + j];
                    double a2 = dl2[l * k + j] + dt2[b * k + j];
                    sum += -a1 * a1 / (4 * a2) - 0.5 * Math.log(-2 * a2);
                }
                out[b * components + l] = (float) sum;
            }
        }
        return CpuBackend.INSTANCE.fromArray(out, batch, components);
    }
    // endregion

    /** Gradients of Σ_{b,l} g[b,l]·out[b,l] w.r.t. t1, t2, λ1, λ2. */
    static Tensor[] gradient(Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        float[] dg = CpuBackend.dense(g);
        float[] dt1 = CpuBackend.dense(t1), dt2 = CpuBackend.dense(t2);
        float[] dl1 = CpuBackend.dense(lambda1), dl2 = CpuBackend.dense(lambda2);
        int batch = t1.size(0), k = t1.size(1), components = lambda1.size(0);
        float[] gt1 = Workspace.allocate(batch * k), gt2 = Workspace.allocate(batch * k);
        double[] gl1 = new double[components * k], gl2 = new double[components * k];
        for (int b = 0; b < batch; b++) {
            for (int l = 0; l < components; l++) {
                double w = dg[b * components + l];
                for (int j = 0; j < k; j++) {
                    double a1 = dl1[l * k + j] + dt1[b * k + j];
                    double a2 = dl2[l * k + j] + dt2[b * k + j];
                    double mean = -a1 / (2 * a2);
                    double secondMoment = mean * mean - 1 / (2 * a2);
                    gt1[b * k + j] += (float) (w * mean);
                    gt2[b * k + j] += (float) (w * secondMoment);
                    gl1[l * k + j] += w * mean;
                    gl2[l * k + j] += w * secondMoment;
                }
            }
        }
        CpuBackend cpu = CpuBackend.INSTANCE;
        return new Tensor[] {cpu.fromArray(gt1, batch, k), cpu.fromArray(gt2, batch, k),
                cpu.fromArray(toFloat(gl1), components, k), cpu.fromArray(toFloat(gl2), components, k)};
    }

    private static float[] toFloat(double[] d) {
        float[] out = Workspace.allocate(d.length);
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }
}
