package cebm.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX and CIFAR-10 files byte by byte, independently of the readers under test. */
public final class SampleFiles {
    private SampleFiles() {
    }

    /** An IDX image file whose pixel {@code k} (counted over the whole file) has byte value {@code k % 256}. */
    public static byte[] idxImages(int count, int rows, int cols) {
        ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols); // big-endian by default, as IDX is
        buffer.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
        for (int k = 0; k < count * rows * cols; k++) {
            buffer.put((byte) k);
        }
        return buffer.array();
    }

    public static byte[] idxLabels(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
        buffer.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            buffer.put((byte) label);
        }
        return buffer.array();
    }

    /** MNIST's four files in {@code folder}, with {@code train} and {@code test} images labelled 0, 1, …, 9, 0, … */
    public static void writeMnist(Path folder, int train, int test) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("train-images-idx3-ubyte"), idxImages(train, 28, 28));
        Files.write(folder.resolve("train-labels-idx1-ubyte"), idxLabels(IntStream.range(0, train).map(i -> i % 10).toArray()));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), idxImages(test, 28, 28));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), idxLabels(IntStream.range(0, test).map(i -> i % 10).toArray()));
    }

    /** CIFAR-10's five training batches of {@code perBatch} records and its test batch of {@code test}, in {@code folder}. */
    public static void writeCifar10(Path folder, int perBatch, int test) throws IOException {
        Files.createDirectories(folder);
        for (int batch = 1; batch <= 5; batch++) {
            Files.write(folder.resolve("data_batch_" + batch + ".bin"), cifarRecords(IntStream.range(0, perBatch).map(i -> i % 10).toArray()));
        }
        Files.write(folder.resolve("test_batch.bin"), cifarRecords(IntStream.range(0, test).map(i -> i % 10).toArray()));
    }

    /** CIFAR-10 records with the given labels; pixel byte {@code p} of record {@code r} is {@code (r + p) % 256}. */
    static byte[] cifarRecords(int... labels) {
        ByteBuffer buffer = ByteBuffer.allocate(labels.length * 3073);
        for (int r = 0; r < labels.length; r++) {
            buffer.put((byte) labels[r]);
            for (int p = 0; p < 3072; p++) {
                buffer.put((byte) (r + p));
            }
        }
        return buffer.array();
    }

    public static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
