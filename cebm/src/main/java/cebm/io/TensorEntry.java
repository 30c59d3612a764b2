package cebm.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One named tensor of a {@link SafetensorsFile}: its element type, its shape, and its elements as the
 * little-endian bytes the file stores.
 *
 * <p>Keeping the raw bytes (rather than a float[] or long[]) lets one class hold every dtype, and makes writing
 * a plain copy. The typed accessors convert on demand and return fresh arrays, so an entry is immutable.
 */
public final class TensorEntry {
    private final String name;
    private final Dtype dtype;
    private final int[] shape;
    private final byte[] data;

    private TensorEntry(String name, Dtype dtype, int[] shape, byte[] data) {
        long elements = elementCount(shape);
        if (elements * dtype.bytes() != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + elements
                    + " elements but " + data.length / dtype.bytes() + " were given");
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** An entry over {@code data}, which it takes ownership of; the reader has checked it fits the shape. */
    static TensorEntry ofBytes(String name, Dtype dtype, int[] shape, byte[] data) {
        return new TensorEntry(name, dtype, shape, data);
    }

    static TensorEntry ofFloats(String name, float[] values, int[] shape) {
        ByteBuffer buffer = littleEndian(values.length, Dtype.F32);
        buffer.asFloatBuffer().put(values);
        return new TensorEntry(name, Dtype.F32, shape, buffer.array());
    }

    static TensorEntry ofLongs(String name, long[] values, int[] shape) {
        ByteBuffer buffer = littleEndian(values.length, Dtype.I64);
        buffer.asLongBuffer().put(values);
        return new TensorEntry(name, Dtype.I64, shape, buffer.array());
    }

    static TensorEntry ofInts(String name, int[] values, int[] shape) {
        ByteBuffer buffer = littleEndian(values.length, Dtype.I32);
        buffer.asIntBuffer().put(values);
        return new TensorEntry(name, Dtype.I32, shape, buffer.array());
    }

    /**
     * The number of elements of a tensor of this shape (1 for a scalar, whose shape is empty).
     *
     * @throws IllegalArgumentException if a dimension is negative or the count does not fit a Java array
     */
    static long elementCount(int[] shape) {
        long count = 1;
        for (int dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= dimension;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more elements than a Java array holds");
            }
        }
        return count;
    }

    public String name() {
        return name;
    }

    public Dtype dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the shape. */
    public int numel() {
        return data.length / dtype.bytes();
    }

    /**
     * The elements of an {@code F32} tensor, in row-major order.
     *
     * @throws IllegalStateException if the tensor holds another dtype
     */
    public float[] floats() {
        requireDtype(Dtype.F32);
        float[] values = new float[numel()];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /**
     * The elements of an integer tensor ({@code I64}, or {@code I32} widened), in row-major order.
     *
     * @throws IllegalStateException if the tensor holds floats
     */
    public long[] longs() {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[numel()];
        if (dtype == Dtype.I32) {
            for (int i = 0; i < values.length; i++) {
                values[i] = buffer.getInt();
            }
        } else {
            requireDtype(Dtype.I64);
            buffer.asLongBuffer().get(values);
        }
        return values;
    }

    /** The stored bytes themselves, for the writer; not copied, so not to be modified. */
    byte[] data() {
        return data;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }

    private void requireDtype(Dtype expected) {
        if (dtype != expected) {
            throw new IllegalStateException("tensor '" + name + "' holds " + dtype + ", not " + expected);
        }
    }

    private static ByteBuffer littleEndian(int elements, Dtype dtype) {
        return ByteBuffer.allocate(elements * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    }
}
