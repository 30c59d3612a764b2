package cebm.tensor.cpu;

import cebm.tensor.Backend;
import cebm.tensor.Storage;

/** A Java float array on the heap. */
public final class CpuStorage implements Storage {
    final float[] data;

    CpuStorage(float[] data) {
        this.data = data;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }

    @Override
    public int length() {
        return data.length;
    }

    /** The underlying array (shared, not copied): for code on the CPU that needs raw speed. */
    public float[] array() {
        return data;
    }
}
