package cebm.tensor;

/**
 * A flat buffer of floats that belongs to one backend. Tensors are views onto a storage
 * (shape, strides, offset); several tensors may share one storage.
 */
public interface Storage {
    /** The backend that allocated this storage and runs ops on it. */
    Backend backend();

    /** Number of floats in the buffer. */
    int length();
}
