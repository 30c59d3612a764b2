package cebm.kernels;

import cebm.tensor.Tensor;

import static cebm.kernels.CudaBackend.address;

/**
 * Launches the kernels of log_normalizer.cu (spec §1; the math is in its header): the forward
 * pass with one warp per (image, component) pair, the gradient with one thread per element of
 * each result, summing over the other axis in a fixed order.
 */
final class LogNormalizerCuda {
    private LogNormalizerCuda() {}

    private static final int WARP = 32;

    // region forward (quoted in docs/cuda-kernels.md)
    /** out [B, L] from t1, t2 [B, K] and λ1, λ2 [L, K]. */
    static Tensor forward(CudaBackend backend, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        Tensor[] in = dense(backend, t1, t2, lambda1, lambda2);
        int batch = t1.size(0), dims = t1.size(1), components = lambda1.size(0);
        Tensor out = backend.empty(batch, components);
        long threads = (long) batch * components * WARP;
        int blocks = (int) ((threads + Kernel.THREADS - 1) / Kernel.THREADS);
        backend.kernel("log_normalizer", "log_normalizer").launch(blocks, 1, 1, Kernel.THREADS, 1, 1, 0,
                batch, dims, components, address(in[0]), address(in[1]), address(in[2]), address(in[3]), address(out));
        return out;
    }
    // endregion

    /** {∂/∂t1 [B, K], ∂/∂t2 [B, K], ∂/∂λ1 [L, K], ∂/∂λ2 [L, K]} of Σ g[b,l]·out[b,l]. */
    static Tensor[] gradient(CudaBackend backend, Tensor g, Tensor t1, Tensor t2, Tensor lambda1, Tensor lambda2) {
        Tensor[] in = dense(backend, g, t1, t2, lambda1, lambda2);
        int batch = t1.size(0), dims = t1.size(1), components = lambda1.size(0);
        Tensor gradT1 = backend.empty(batch, dims), gradT2 = backend.empty(batch, dims);
        Tensor gradLambda1 = backend.empty(components, dims), gradLambda2 = backend.empty(components, dims);
        backend.kernel("log_normalizer", "log_normalizer_grad_t").launchLinear((long) batch * dims,
                batch, dims, components, address(in[0]), address(in[1]), address(in[2]), address(in[3]), address(in[4]),
                address(gradT1), address(gradT2));
        backend.kernel("log_normalizer", "log_normalizer_grad_lambda").launchLinear((long) components * dims,
                batch, dims, components, address(in[0]), address(in[1]), address(in[2]), address(in[3]), address(in[4]),
                address(gradLambda1), address(gradLambda2));
        return new Tensor[] {gradT1, gradT2, gradLambda1, gradLambda2};
    }

    private static Tensor[] dense(CudaBackend backend, Tensor... tensors) {
        Tensor[] out = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) out[i] = backend.dense(tensors[i]);
        return out;
    }
}
