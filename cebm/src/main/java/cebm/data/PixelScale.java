package cebm.data;

/**
 * The one convention for pixel values in this project: bytes 0..255 map linearly onto floats in [-1, 1].
 *
 * <p>Models see centred values (background of MNIST is -1, full ink +1) because symmetric inputs keep the
 * early training steps of an energy-based model well conditioned. Readers convert with {@link #fromByte},
 * image writers convert back with {@link #toByte}; keeping both directions here means they cannot drift apart.
 */
public final class PixelScale {
    private static final float HALF_RANGE = 127.5f;

    private PixelScale() {
    }

    /** The float for an unsigned byte value: {@code value / 127.5 - 1}, so 0 gives -1 and 255 gives +1. */
    public static float fromByte(int value) {
        return value / HALF_RANGE - 1f;
    }

    /**
     * Converts {@code length} unsigned bytes of {@code source}, starting at {@code sourceStart}, into floats
     * written to {@code target} from {@code targetStart}.
     */
    public static void fromBytes(byte[] source, int sourceStart, float[] target, int targetStart, int length) {
        for (int i = 0; i < length; i++) {
            target[targetStart + i] = fromByte(Byte.toUnsignedInt(source[sourceStart + i]));
        }
    }

    /**
     * The byte value (0..255) nearest to a float pixel. Values outside [-1, 1] are clamped, so images of
     * model samples, which may overshoot, still convert; NaN becomes 0 so a diverged model shows as black.
     */
    public static int toByte(float value) {
        if (Float.isNaN(value)) {
            return 0;
        }
        float clamped = Math.max(-1f, Math.min(1f, value));
        return Math.round((clamped + 1f) * HALF_RANGE);
    }
}
