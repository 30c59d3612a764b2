package cebm.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes the safetensors format, used here for model checkpoints.
 *
 * <p>The format, as defined by the reference implementation (huggingface/safetensors):
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   a JSON object (UTF-8): for each tensor
 *               "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}
 *             and optionally "__metadata__": {"key": "value", ...} with string values only
 *   the rest  the data section: every tensor's elements, little-endian, row-major, at bytes [begin, end)
 *             counted from the start of the data section; the tensors exactly tile it
 * </pre>
 * It was chosen over Java serialization because it is language-neutral (a checkpoint opens in Python with
 * {@code safetensors.numpy.load_file}) and cannot execute code when loaded.
 *
 * <p>Files are read whole into memory, so they are limited to 2 GiB — far more than the models here need.
 */
public final class Safetensors {
    /** Size of the header-length field at the start of the file. */
    static final int HEADER_LENGTH_BYTES = 8;
    /** The header key under which string metadata is stored. */
    static final String METADATA_KEY = "__metadata__";

    private Safetensors() {
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws SafetensorsException if the file is not valid safetensors; the message names the file and the tensor
     * @throws IOException if the file cannot be read
     */
    public static SafetensorsFile read(Path file) throws IOException {
        return SafetensorsReader.read(file);
    }

    /** Writes {@code content} to {@code file}, atomically replacing any previous file (see {@link AtomicFiles}). */
    public static void write(Path file, SafetensorsFile content) throws IOException {
        AtomicFiles.write(file, out -> SafetensorsWriter.write(content, out));
    }
}
