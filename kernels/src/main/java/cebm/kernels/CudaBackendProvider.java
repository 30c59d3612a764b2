package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.BackendProvider;

// region provider (quoted in docs/cuda-kernels.md)
/** Registers the CUDA backend with {@link java.util.ServiceLoader} (META-INF/services). */
public final class CudaBackendProvider implements BackendProvider {
    private static CudaBackend backend;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Availability availability() {
        return CudaProbe.result().availability();
    }

    @Override
    public synchronized Backend backend() {
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.availability().usable()) throw new IllegalStateException(probe.availability().summary());
        if (backend == null) backend = new CudaBackend(probe.context());
        return backend;
    }
}
// endregion
