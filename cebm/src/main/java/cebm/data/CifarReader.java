package cebm.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the "binary version" of CIFAR-10: files of fixed-size records, each one label byte followed by
 * 3072 pixel bytes — a 32×32 red plane, then green, then blue, each row-major.
 *
 * <p>That record layout is already channel-major (CHW), so each record's pixels go into the data set
 * unchanged apart from scaling. The format has no header or magic number, so the only structural checks
 * possible are that each file is a whole number of records, at least one, and that every label is a valid class.
 */
public final class CifarReader {
    private static final int CHANNELS = 3;
    private static final int SIDE = 32;
    private static final int PIXEL_BYTES = CHANNELS * SIDE * SIDE;
    private static final int RECORD_BYTES = 1 + PIXEL_BYTES;
    private static final int CLASSES = 10;

    private CifarReader() {
    }

    /**
     * Reads the records of all {@code files}, in the order given, into one three-channel 32×32 data set.
     *
     * @throws DataFileException if a file is empty, its size is not a multiple of 3073 bytes or a label is not in 0..9
     * @throws IOException if a file cannot be read
     */
    public static Dataset read(String name, List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(name + ": no CIFAR-10 files given");
        }
        // Read and check every file before allocating the float array, whose size depends on all of them.
        List<BinaryFile> contents = new ArrayList<>();
        int images = 0;
        for (Path path : files) {
            BinaryFile file = BinaryFile.read(path);
            // An empty file is a whole number of records too, but it is a failed download, not a batch.
            if (file.size() == 0) {
                throw file.problem("empty: expected at least one " + RECORD_BYTES + "-byte CIFAR-10 record");
            }
            if (file.size() % RECORD_BYTES != 0) {
                throw file.problem("size " + file.size() + " bytes is not a multiple of the " + RECORD_BYTES
                        + "-byte CIFAR-10 record (1 label byte + " + PIXEL_BYTES + " pixel bytes); the last record starts at "
                        + file.at(file.size() / RECORD_BYTES * (long) RECORD_BYTES) + " and is incomplete");
            }
            contents.add(file);
            images += file.size() / RECORD_BYTES;
        }

        float[] pixels = new float[images * PIXEL_BYTES];
        int[] labels = new int[images];
        int image = 0;
        for (BinaryFile file : contents) {
            for (int record = 0; record < file.size(); record += RECORD_BYTES, image++) {
                labels[image] = file.label(record, CLASSES);
                PixelScale.fromBytes(file.bytes(), record + 1, pixels, image * PIXEL_BYTES, PIXEL_BYTES);
            }
        }
        return Dataset.wrap(name, CHANNELS, SIDE, SIDE, CLASSES, pixels, labels);
    }
}
