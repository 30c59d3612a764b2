package cebm.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file whose bytes are not what its format requires: wrong magic number, truncated, a label out of
 * range, a corrupt gzip stream.
 *
 * <p>It is checked (an {@link IOException}) because a bad file is an expected, recoverable situation for a
 * command-line tool: the caller should report it and stop, not crash with a stack trace. The message always
 * starts with the file, then says what was expected and what was found, so the user can fix the file.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A problem in {@code file}; {@code problem} says what was expected and what was found, and where. */
    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** As {@link #DataFileException(Path, String)}, keeping the low-level exception that revealed the problem. */
    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }
}
