package cebm.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a labelled image set stored as a pair of IDX files, the format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a big-endian header followed by raw unsigned bytes:
 * <pre>
 *   images: 0x00000803, count, rows, cols, then count·rows·cols pixels (row-major, 0 = background)
 *   labels: 0x00000801, count, then count labels
 * </pre>
 * Either file may be gzip-compressed or raw; see {@link BinaryFile}. Every inconsistency (wrong magic
 * number, wrong length, differing counts, a label out of range) is reported as a {@link DataFileException}
 * naming the file and byte, because a silently misread data set only shows up much later as a model that
 * will not train.
 */
public final class IdxReader {
    /** Magic number of IDX files holding unsigned bytes in three dimensions (images). */
    private static final int IMAGE_MAGIC = 0x00000803;
    /** Magic number of IDX files holding unsigned bytes in one dimension (labels). */
    private static final int LABEL_MAGIC = 0x00000801;
    private static final int MAGIC_BYTES = 4;
    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;
    /** MNIST and Fashion-MNIST both have ten classes; the IDX format itself does not record it. */
    private static final int CLASSES = 10;

    private IdxReader() {
    }

    /**
     * Reads an image file and its label file into a one-channel data set called {@code name}.
     *
     * @throws DataFileException if either file is malformed or they disagree on the number of images
     * @throws IOException if a file cannot be read
     */
    public static Dataset read(String name, Path images, Path labels) throws IOException {
        BinaryFile imageFile = BinaryFile.read(images);
        int count = checkImageHeader(imageFile);
        int rows = imageFile.bigEndianInt(8);
        int cols = imageFile.bigEndianInt(12);

        BinaryFile labelFile = BinaryFile.read(labels);
        int labelCount = checkLabelHeader(labelFile);
        if (labelCount != count) {
            throw labelFile.problem("image and label counts differ (" + count + " vs " + labelCount + "): "
                    + count + " images in " + images + " but " + labelCount + " labels here");
        }

        float[] pixels = new float[imageFile.size() - IMAGE_HEADER_BYTES];
        PixelScale.fromBytes(imageFile.bytes(), IMAGE_HEADER_BYTES, pixels, 0, pixels.length);
        int[] labelValues = new int[count];
        for (int i = 0; i < count; i++) {
            labelValues[i] = labelFile.label(LABEL_HEADER_BYTES + i, CLASSES);
        }
        return Dataset.wrap(name, 1, rows, cols, CLASSES, pixels, labelValues);
    }

    /** Checks magic number, dimensions and length of an image file; returns the image count. */
    private static int checkImageHeader(BinaryFile file) throws DataFileException {
        checkMagicAndHeader(file, IMAGE_MAGIC, "image", IMAGE_HEADER_BYTES);
        int count = file.bigEndianInt(4);
        int rows = file.bigEndianInt(8);
        int cols = file.bigEndianInt(12);
        // The header fields are unsigned in the format; anything past 2^31 reads as negative and is nonsense here.
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw file.problem("implausible IDX image header at byte 4: count " + Integer.toUnsignedString(count)
                    + ", rows " + Integer.toUnsignedString(rows) + ", cols " + Integer.toUnsignedString(cols));
        }
        long expected = (long) count * rows * cols + IMAGE_HEADER_BYTES;
        checkLength(file, expected, "count × rows × cols + 16 = " + count + " × " + rows + " × " + cols + " + 16");
        return count;
    }

    /** Checks magic number and length of a label file; returns the label count. */
    private static int checkLabelHeader(BinaryFile file) throws DataFileException {
        checkMagicAndHeader(file, LABEL_MAGIC, "label", LABEL_HEADER_BYTES);
        int count = file.bigEndianInt(4);
        if (count < 0) {
            throw file.problem("implausible IDX label count " + Integer.toUnsignedString(count) + " at byte 4");
        }
        checkLength(file, (long) count + LABEL_HEADER_BYTES, "count + 8 = " + count + " + 8");
        return count;
    }

    /** Checks the magic number first, since a wrong file is a likelier mistake than a short header. */
    private static void checkMagicAndHeader(BinaryFile file, int magic, String kind, int headerBytes) throws DataFileException {
        if (file.size() >= MAGIC_BYTES) {
            int found = file.bigEndianInt(0);
            if (found != magic) {
                throw file.problem("not an IDX " + kind + " file: magic number " + hex(found) + " at " + file.at(0)
                        + ", expected " + hex(magic) + swapHint(found, magic));
            }
        }
        if (file.size() < headerBytes) {
            throw file.problem("truncated at " + file.at(file.size()) + ": an IDX " + kind + " file needs a header of "
                    + headerBytes + " bytes");
        }
    }

    /** Passing the label file where the image file belongs (or vice versa) is the likeliest cause of a bad magic. */
    private static String swapHint(int foundMagic, int expectedMagic) {
        boolean swapped = foundMagic == (expectedMagic == IMAGE_MAGIC ? LABEL_MAGIC : IMAGE_MAGIC);
        return swapped ? " (this looks like the other file of the pair: were images and labels swapped?)" : "";
    }

    private static void checkLength(BinaryFile file, long expected, String formula) throws DataFileException {
        if (file.size() < expected) {
            throw file.problem("truncated at " + file.at(file.size()) + ": expected " + expected + " bytes (" + formula + ")");
        }
        if (file.size() > expected) {
            throw file.problem(file.size() - expected + " unexpected bytes after " + file.at(expected)
                    + ": expected " + expected + " bytes (" + formula + ")");
        }
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
