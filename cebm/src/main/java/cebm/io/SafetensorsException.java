package cebm.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid safetensors file: header length past the end, malformed JSON header, tensor
 * offsets outside the data or not matching the shape. Or a valid one that does not hold what its reader
 * needs, such as a checkpoint tensor of another dtype or shape than its model's, or with NaN values.
 *
 * <p>Checked, so that code restoring a checkpoint has to decide what to do with a corrupt one. The message
 * starts with the file and, where one is involved, names the tensor.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem in {@code file}; {@code problem} says what was expected and what was found. */
    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    /** As {@link #SafetensorsException(Path, String)}, keeping the exception that revealed the problem. */
    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
