package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.Storage;

/** The storage of a CUDA tensor: a device buffer of this backend. */
final class CudaStorage implements Storage {
    final CudaBackend backend;
    final DeviceBuffer buffer;

    CudaStorage(CudaBackend backend, DeviceBuffer buffer) {
        this.backend = backend;
        this.buffer = buffer;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int length() {
        return buffer.length;
    }
}
