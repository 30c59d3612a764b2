package cebm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns a data-set name, as typed on the command line, into a training and a test set.
 *
 * <p>Known names: {@code synthetic} (the default, built in, see {@link SyntheticDigits}), {@code mnist},
 * {@code fashion-mnist} and {@code cifar10}. The file-based ones are looked for under a data directory laid
 * out like the project's shared data:
 * <pre>
 *   dataDir/mnist/          train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz
 *   dataDir/fashion-mnist/  the same four names
 *   dataDir/cifar-10/       data_batch_1.bin … data_batch_5.bin, and test_batch.bin or test_batch_first1000.bin
 * </pre>
 * If that subdirectory does not exist, the files are looked for in {@code dataDir} itself, so pointing
 * directly at a directory of MNIST files works too. IDX files may also be stored without the {@code .gz}.
 */
public final class DataSets {
    /** The data set used when none is named. */
    public static final String DEFAULT = "synthetic";
    /** Sizes and seed of the built-in data set: fixed, so every run of every model sees the same images. */
    private static final int SYNTHETIC_TRAIN_SIZE = 10_000;
    private static final int SYNTHETIC_TEST_SIZE = 2_000;
    private static final long SYNTHETIC_SEED = 20_240_601L;
    /** The height and width of MNIST's and Fashion-MNIST's images. */
    private static final int IDX_SIDE = 28;

    /** A training set and the test set that goes with it. */
    public record Split(Dataset train, Dataset test) {
    }

    @FunctionalInterface
    private interface Loader {
        Split load(Path dataDir) throws IOException;
    }

    private static final Map<String, Loader> LOADERS = new LinkedHashMap<>();

    static {
        LOADERS.put("synthetic", dataDir -> new Split(
                SyntheticDigits.train(SYNTHETIC_TRAIN_SIZE, SYNTHETIC_SEED), SyntheticDigits.test(SYNTHETIC_TEST_SIZE, SYNTHETIC_SEED)));
        LOADERS.put("mnist", dataDir -> loadIdx("mnist", dataDir));
        LOADERS.put("fashion-mnist", dataDir -> loadIdx("fashion-mnist", dataDir));
        LOADERS.put("cifar10", DataSets::loadCifar10);
    }

    private DataSets() {
    }

    /** The names {@link #load} accepts, default first. */
    public static List<String> names() {
        return List.copyOf(LOADERS.keySet());
    }

    /**
     * Loads the data set called {@code name}. {@code dataDir} is only used by file-based data sets and may be
     * null for {@code synthetic}.
     *
     * @throws IllegalArgumentException if the name is unknown; the message lists the valid ones
     * @throws NoSuchFileException if a file is missing; the message names it and the directory searched
     * @throws DataFileException if a file is malformed
     */
    public static Split load(String name, Path dataDir) throws IOException {
        Loader loader = LOADERS.get(name);
        if (loader == null) {
            throw new IllegalArgumentException("unknown data set '" + name + "'; valid names: " + String.join(", ", names()));
        }
        return loader.load(dataDir);
    }

    private static Split loadIdx(String name, Path dataDir) throws IOException {
        Path dir = directoryFor(name, name, dataDir);
        return new Split(readIdx(name + "-train", dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                readIdx(name + "-test", dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
    }

    /**
     * One IDX pair, held to MNIST's 28×28 images: the IDX format takes any size, and images of another size would
     * reach the network as a shape error that names no file (or, for the test images, not be checked at all).
     */
    private static Dataset readIdx(String name, Path dir, String imageFile, String labelFile) throws IOException {
        Path images = idxFile(dir, imageFile);
        Dataset data = IdxReader.read(name, images, idxFile(dir, labelFile));
        if (data.height() != IDX_SIDE || data.width() != IDX_SIDE) {
            throw new DataFileException(images, "images of " + data.height() + "×" + data.width()
                    + " pixels (the header's rows and cols), expected " + IDX_SIDE + "×" + IDX_SIDE + " as in MNIST and Fashion-MNIST");
        }
        return data;
    }

    private static Split loadCifar10(Path dataDir) throws IOException {
        Path dir = directoryFor("cifar10", "cifar-10", dataDir);
        List<Path> trainFiles = new ArrayList<>();
        for (int batch = 1; batch <= 5; batch++) {
            trainFiles.add(firstExisting(dir, "data_batch_" + batch + ".bin"));
        }
        // The full test batch may be unavailable; the first 1000 of its records are an honest, smaller substitute.
        Path testFile = firstExisting(dir, "test_batch.bin", "test_batch_first1000.bin");
        return new Split(CifarReader.read("cifar10-train", trainFiles), CifarReader.read("cifar10-test", List.of(testFile)));
    }

    /** IDX files come compressed or not; either name is accepted (the reader detects compression by content). */
    private static Path idxFile(Path dir, String baseName) throws NoSuchFileException {
        return firstExisting(dir, baseName + ".gz", baseName);
    }

    /** {@code dataDir/subdirectory} if that is a directory, else {@code dataDir} itself. */
    private static Path directoryFor(String name, String subdirectory, Path dataDir) {
        if (dataDir == null) {
            throw new IllegalArgumentException("data set '" + name + "' is read from files: give a data directory");
        }
        Path conventional = dataDir.resolve(subdirectory);
        return Files.isDirectory(conventional) ? conventional : dataDir;
    }

    /** The first of {@code fileNames} that exists in {@code dir}. */
    private static Path firstExisting(Path dir, String... fileNames) throws NoSuchFileException {
        for (String fileName : fileNames) {
            Path candidate = dir.resolve(fileName);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new NoSuchFileException(dir.resolve(fileNames[0]).toString(), null,
                "not found; looked for " + String.join(" or ", fileNames) + " in directory " + dir.toAbsolutePath());
    }
}
