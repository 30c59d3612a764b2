package cebm.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The whole content of a data file in memory, gunzipped if it was gzip-compressed, with the checked reads
 * that the binary readers need and errors that say which file and which byte.
 *
 * <p>Compression is detected from the gzip magic bytes, never from the file name: distributions of MNIST
 * exist both compressed and not, and renamed files are common.
 */
final class BinaryFile {
    private static final int GZIP_MAGIC_FIRST = 0x1f;
    private static final int GZIP_MAGIC_SECOND = 0x8b;

    private final Path path;
    private final byte[] bytes;
    private final boolean gunzipped;

    private BinaryFile(Path path, byte[] bytes, boolean gunzipped) {
        this.path = path;
        this.bytes = bytes;
        this.gunzipped = gunzipped;
    }

    /** Reads {@code path}, decompressing it if it starts with the gzip magic bytes. */
    static BinaryFile read(Path path) throws IOException {
        byte[] raw = Files.readAllBytes(path);
        if (!isGzip(raw)) {
            return new BinaryFile(path, raw, false);
        }
        // The compressed bytes are already in memory, so any IOException here is a format error, not an I/O one.
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return new BinaryFile(path, in.readAllBytes(), true);
        } catch (IOException e) {
            throw new DataFileException(path, "corrupt gzip stream (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isGzip(byte[] raw) {
        return raw.length >= 2 && Byte.toUnsignedInt(raw[0]) == GZIP_MAGIC_FIRST && Byte.toUnsignedInt(raw[1]) == GZIP_MAGIC_SECOND;
    }

    /** The content bytes (after gunzip); callers only read them. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return bytes.length;
    }

    /** The big-endian 32-bit integer at {@code offset}; the caller has checked that four bytes are there. */
    int bigEndianInt(int offset) {
        return (Byte.toUnsignedInt(bytes[offset]) << 24) | (Byte.toUnsignedInt(bytes[offset + 1]) << 16)
                | (Byte.toUnsignedInt(bytes[offset + 2]) << 8) | Byte.toUnsignedInt(bytes[offset + 3]);
    }

    /** The class label stored as one unsigned byte at {@code offset}, checked to lie in {@code 0..classes-1}. */
    int label(int offset, int classes) throws DataFileException {
        int label = Byte.toUnsignedInt(bytes[offset]);
        if (label >= classes) {
            throw problem("label " + label + " at " + at(offset) + " outside 0.." + (classes - 1));
        }
        return label;
    }

    /**
     * "byte N", made precise for gzip files: offsets count bytes of the decompressed content, which is what a
     * user inspecting the file with {@code zcat | xxd} sees.
     */
    String at(long offset) {
        return gunzipped ? "byte " + offset + " of the decompressed content" : "byte " + offset;
    }

    /** An exception naming this file, for a {@code problem} that says what was expected and found. */
    DataFileException problem(String problem) {
        return new DataFileException(path, problem);
    }
}
