package cebm.io;

import java.util.Collections;
import java.util.NoSuchElementException;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of a safetensors file: named tensors and optional string metadata. Immutable; build one with
 * {@link #builder()}, read or write one with {@link Safetensors}.
 *
 * <p>Tensors and metadata are kept sorted by name. That is the order the file is written in, so the same
 * content always gives the same bytes, and two checkpoints can be compared with {@code cmp}.
 */
public final class SafetensorsFile {
    private final SortedMap<String, TensorEntry> tensors;
    private final SortedMap<String, String> metadata;

    SafetensorsFile(SortedMap<String, TensorEntry> tensors, SortedMap<String, String> metadata) {
        this.tensors = Collections.unmodifiableSortedMap(new TreeMap<>(tensors));
        this.metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    /** Starts an empty file to add tensors and metadata to. */
    public static Builder builder() {
        return new Builder();
    }

    /** All tensors by name, in name order. Unmodifiable. */
    public SortedMap<String, TensorEntry> tensors() {
        return tensors;
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws NoSuchElementException if there is none; the message lists the names there are
     */
    public TensorEntry tensor(String name) {
        TensorEntry entry = tensors.get(name);
        if (entry == null) {
            throw new NoSuchElementException("no tensor named '" + name + "'; the file has " + tensors.keySet());
        }
        return entry;
    }

    /** The string metadata ({@code "__metadata__"} in the file), in key order. Unmodifiable; empty if none. */
    public SortedMap<String, String> metadata() {
        return metadata;
    }

    /** Collects tensors and metadata for a {@link SafetensorsFile}. Each name may be added once. */
    public static final class Builder {
        private final SortedMap<String, TensorEntry> tensors = new TreeMap<>();
        private final SortedMap<String, String> metadata = new TreeMap<>();

        private Builder() {
        }

        /** Adds an {@code F32} tensor; {@code values} are read row-major and must fill {@code shape}. */
        public Builder putFloats(String name, float[] values, int... shape) {
            return put(TensorEntry.ofFloats(name, values, shape));
        }

        /** Adds an {@code I64} tensor; {@code values} are read row-major and must fill {@code shape}. */
        public Builder putLongs(String name, long[] values, int... shape) {
            return put(TensorEntry.ofLongs(name, values, shape));
        }

        /** Adds an {@code I32} tensor; {@code values} are read row-major and must fill {@code shape}. */
        public Builder putInts(String name, int[] values, int... shape) {
            return put(TensorEntry.ofInts(name, values, shape));
        }

        /** Adds a metadata entry. */
        public Builder putMetadata(String key, String value) {
            if (metadata.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException("metadata key '" + key + "' added twice");
            }
            return this;
        }

        public SafetensorsFile build() {
            return new SafetensorsFile(tensors, metadata);
        }

        private Builder put(TensorEntry entry) {
            if (entry.name().equals(Safetensors.METADATA_KEY)) {
                throw new IllegalArgumentException("'" + Safetensors.METADATA_KEY + "' is reserved for metadata, not a tensor name");
            }
            if (tensors.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("tensor '" + entry.name() + "' added twice");
            }
            return this;
        }
    }
}
