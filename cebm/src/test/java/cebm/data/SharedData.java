package cebm.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the project's shared real data sets ({@code shared/data} next to the project root) for tests, and
 * skips the calling test, with a reason, where they are not present.
 */
final class SharedData {
    /** Relative to the project root, and relative to a module directory (where Maven runs the tests). */
    private static final List<Path> CANDIDATES = List.of(Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data"));

    private SharedData() {
    }

    /** The shared data directory; skips the test if neither candidate location exists. */
    static Path directory() {
        Path found = CANDIDATES.stream().filter(Files::isDirectory).findFirst().orElse(null);
        assumeTrue(found != null, "shared data not found at " + CANDIDATES + " relative to " + Path.of("").toAbsolutePath());
        return found;
    }

    /** The subdirectory {@code name} of the shared data; skips the test if it is missing. */
    static Path directory(String name) {
        Path directory = directory().resolve(name);
        assumeTrue(Files.isDirectory(directory), "shared data set not found: " + directory.toAbsolutePath());
        return directory;
    }
}
