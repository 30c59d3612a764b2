package cebm.tensor.cpu.reference;

import cebm.tensor.Backend;
import cebm.tensor.Storage;

/** A Java float array on the heap, owned by the CPU backend that made it (the reference or the fast one). */
public final class ArrayStorage implements Storage {
    private final float[] data;
    private final Backend owner;

    ArrayStorage(float[] data, Backend owner) {
        this.data = data;
        this.owner = owner;
    }

    @Override
    public Backend backend() {
        return owner;
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
