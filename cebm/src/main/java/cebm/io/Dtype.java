package cebm.io;

/**
 * The element types this project stores in safetensors files, under their safetensors names.
 *
 * <p>Model weights are {@code F32}. Integer state that must survive a restart exactly, such as the optimiser
 * step counter or the position of a random stream, is {@code I64} (or {@code I32}); storing it as float would
 * silently lose precision past 2^24.
 */
public enum Dtype {
    F32(4),
    I32(4),
    I64(8);

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}
