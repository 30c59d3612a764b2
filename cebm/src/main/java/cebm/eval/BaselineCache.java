package cebm.eval;

import cebm.data.Dataset;
import cebm.io.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The baselines of a report depend on the data, the images used, the classifier, the label draws
 * and (for the untrained encoder) the model's construction, never on the trained parameters: every
 * evaluation of a run's checkpoints would compute the same numbers, and the raw-pixel fit on a whole
 * training set takes many minutes. So each is kept in a folder (by default
 * {@code ~/.cache/cebm/baselines}) under a hash of everything it depends on, and read back when asked
 * again. A file that cannot be read is computed anew.
 */
final class BaselineCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Part of every key, so that entries of an earlier layout are computed anew rather than misread. */
    private static final String FORMAT = "cebm-baseline-2"; // 2: nearest neighbours against the labelled pool too
    private final Path folder;

    BaselineCache(Path folder) {
        this.folder = folder;
    }

    /** The default folder: $XDG_CACHE_HOME/cebm/baselines, or ~/.cache/cebm/baselines. */
    static Path defaultFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cebm").resolve("baselines");
    }

    /** The baseline stored under {@code key}, if there is one that reads. */
    Optional<Evaluation.Baseline> load(String key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(JSON.readValue(Files.readString(file), Evaluation.Baseline.class));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Stores a baseline; a folder that cannot be written only costs the next evaluation the time. */
    void save(String key, Evaluation.Baseline baseline) {
        try {
            Files.createDirectories(folder);
            AtomicFiles.write(file(key), JSON.writeValueAsString(baseline).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            System.err.println("cebm eval: could not keep the baseline in " + folder + " (" + e.getMessage() + ")");
        }
    }

    private Path file(String key) {
        return folder.resolve(sha256(FORMAT + "\n" + key).substring(0, 32) + ".json");
    }

    /** What a baseline's images are: the sets' names and sizes, the rows used, and a digest of their pixels and labels. */
    static String images(Dataset data, int[] rows) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4 * (data.imageSize() + 1));
            for (int row : rows) {
                buffer.clear();
                for (float v : data.image(row)) buffer.putFloat(v);
                buffer.putInt(data.label(row));
                d.update(buffer.array(), 0, buffer.position());
            }
            return data.name() + "[" + rows.length + " of " + data.size() + "]:" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
