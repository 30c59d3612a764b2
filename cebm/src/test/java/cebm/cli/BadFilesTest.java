package cebm.cli;

import cebm.data.SampleFiles;
import cebm.train.TrainingRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault corpus: damaged copies of every kind of file the command line reads (MNIST's IDX files, CIFAR-10's
 * batches, checkpoints and exported parameters, the configuration inside them), each given to the commands that
 * read it. Each is refused with exit code 2 in one line on stderr that names the file and says what was expected
 * and what was found, and nothing is written: no output, no run folder, no {@code .lock}, no temporary file.
 *
 * <p>Each row of {@link #table} is one damaged file, run once per command that reads it, in a folder of its own
 * that must hold the same files, byte for byte, after the command as before. The good files are small MNIST
 * files and the checkpoint of a two-step run on them; CheckpointChecksTest covers tensors of the wrong dtype or
 * shape and non-finite values, so they are not repeated here.
 */
class BadFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TRAIN_IMAGES = 40, TEST_IMAGES = 20;
    /** 16 header bytes and 40 images of 28×28. */
    private static final int TRAIN_IMAGE_BYTES = 16 + TRAIN_IMAGES * 28 * 28;

    @TempDir
    static Path dir;
    private static Path mnist, run;
    private static byte[] checkpoint, exported;

    @BeforeAll
    static void trainTwoStepsOnMnistAndExport() throws IOException {
        mnist = dir.resolve("mnist");
        SampleFiles.writeMnist(mnist, TRAIN_IMAGES, TEST_IMAGES);
        run = dir.resolve("run");
        assertEquals(0, Main.execute("train", "--quiet", "--data", "mnist", "--data-dir", mnist.toString(), "--steps", "2",
                "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20", "--sample-steps", "1", "--out", run.toString()));
        Path parameters = dir.resolve("model.safetensors");
        assertEquals(0, Main.execute("export", "--checkpoint", run.toString(), "--out", parameters.toString()));
        checkpoint = Files.readAllBytes(run.resolve(TrainingRun.CHECKPOINT));
        exported = Files.readAllBytes(parameters);
    }

    /** What a command reads: a run folder or checkpoint file, and a data folder. */
    private record Inputs(Path model, Path data) {
    }

    /** Writes a case's files into its folder and says where they are. */
    @FunctionalInterface
    private interface Setup {
        Inputs write(Path folder) throws IOException;
    }

    /** A command that reads the files of a case; whatever it would write goes under {@code out}. */
    private enum Command {
        TRAIN_MNIST("train --data mnist", (in, out) -> List.of("train", "--quiet", "--data", "mnist", "--data-dir", in.data().toString(),
                "--steps", "2", "--batch", "4", "--out", out.resolve("run").toString())),
        TRAIN_CIFAR("train --data cifar10", (in, out) -> List.of("train", "--quiet", "--data", "cifar10", "--arch", "paper32",
                "--data-dir", in.data().toString(), "--steps", "2", "--batch", "4", "--out", out.resolve("run").toString())),
        RESUME("train --resume", (in, out) -> List.of("train", "--quiet", "--resume", in.model().toString(), "--steps", "3")),
        SAMPLE("sample", (in, out) -> List.of("sample", "--quiet", "--checkpoint", in.model().toString(), "--steps", "1", "--count", "2",
                "--out", out.resolve("samples.png").toString())),
        EVAL("eval", (in, out) -> List.of("eval", "--quiet", "--checkpoint", in.model().toString(), "--data-dir", in.data().toString(),
                "--out", out.resolve("eval").toString(), "--baseline-cache", out.resolve("baselines").toString(),
                "--test-limit", "10", "--train-limit", "20", "--samples", "2", "--sample-steps", "1")),
        ENCODE("encode", (in, out) -> List.of("encode", "--quiet", "--checkpoint", in.model().toString(), "--data-dir", in.data().toString(),
                "--out", out.resolve("encoded.csv").toString())),
        EXPORT("export", (in, out) -> List.of("export", "--checkpoint", in.model().toString(),
                "--out", out.resolve("model.safetensors").toString()));

        private final String shown;
        private final BiFunction<Inputs, Path, List<String>> args;

        Command(String shown, BiFunction<Inputs, Path, List<String>> args) {
            this.shown = shown;
            this.args = args;
        }

        /** The command's name, which starts its error line. */
        String command() {
            return shown.split(" ")[0];
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    private static final List<Command> DATA_READERS = List.of(Command.TRAIN_MNIST, Command.EVAL, Command.ENCODE);
    private static final List<Command> CHECKPOINT_READERS = List.of(Command.SAMPLE, Command.EVAL, Command.ENCODE, Command.EXPORT,
            Command.RESUME);
    private static final List<Command> PARAMETER_READERS = List.of(Command.SAMPLE, Command.EVAL, Command.ENCODE);

    /**
     * One damaged file: its kind, its path in the case folder, what is wrong with it, how the case is written,
     * the commands given it and the words the error line must hold besides the file's path.
     */
    private record Damage(String kind, String file, String what, Setup setup, List<Command> commands, List<String> expected) {
        @Override
        public String toString() {
            return kind + " " + file + ", " + what;
        }
    }

    private static Stream<Damage> table() {
        return Stream.of(
                Stream.of(
                        idx("train-images-idx3-ubyte", "a label file's magic number", b -> withInt(b, 0, 0x00000801),
                                "not an IDX image file: magic number 0x00000801 at byte 0, expected 0x00000803", "were images and labels swapped?"),
                        idx("train-labels-idx1-ubyte", "a bad magic number", b -> withInt(b, 0, 0x12345678),
                                "not an IDX label file: magic number 0x12345678 at byte 0, expected 0x00000801"),
                        idx("train-images-idx3-ubyte", "two dimensions instead of three", b -> withInt(b, 0, 0x00000802),
                                "magic number 0x00000802 at byte 0, expected 0x00000803"),
                        idx("train-images-idx3-ubyte", "its last 100 bytes cut off", b -> cut(b, 100),
                                "truncated at byte " + (TRAIN_IMAGE_BYTES - 100) + ": expected " + TRAIN_IMAGE_BYTES
                                        + " bytes (count × rows × cols + 16 = 40 × 28 × 28 + 16)"),
                        idx("train-images-idx3-ubyte", "a header count of 41 for 40 images", b -> withInt(b, 4, 41),
                                "truncated at byte " + TRAIN_IMAGE_BYTES + ": expected " + (TRAIN_IMAGE_BYTES + 784) + " bytes"),
                        idx("train-images-idx3-ubyte", "a header count of 39 for 40 images", b -> withInt(b, 4, 39),
                                "784 unexpected bytes after byte " + (TRAIN_IMAGE_BYTES - 784) + ": expected " + (TRAIN_IMAGE_BYTES - 784) + " bytes"),
                        idx("t10k-images-idx3-ubyte", "0 rows in its header", b -> withInt(b, 8, 0),
                                "implausible IDX image header at byte 4: count 20, rows 0, cols 28"),
                        idx("train-images-idx3-ubyte", "images of 20×20", b -> SampleFiles.idxImages(TRAIN_IMAGES, 20, 20),
                                "images of 20×20 pixels", "expected 28×28"),
                        idx("t10k-images-idx3-ubyte", "images of 14×56, as many pixels as 28×28", b -> SampleFiles.idxImages(TEST_IMAGES, 14, 56),
                                "images of 14×56 pixels", "expected 28×28"),
                        idx("train-labels-idx1-ubyte", "39 labels for 40 images", b -> SampleFiles.idxLabels(new int[TRAIN_IMAGES - 1]),
                                "image and label counts differ (40 vs 39)"),
                        idx("t10k-labels-idx1-ubyte", "a label of 10", b -> withByte(b, 8 + 3, 10), "label 10 at byte 11 outside 0..9"),
                        idx("t10k-labels-idx1-ubyte", "no bytes at all", b -> new byte[0],
                                "truncated at byte 0: an IDX label file needs a header of 8 bytes"),
                        idx("train-images-idx3-ubyte.gz", "not gzip but a web page", b -> "<!DOCTYPE html><title>404</title>".getBytes(StandardCharsets.US_ASCII),
                                "not an IDX image file: magic number 0x3c21444f at byte 0, expected 0x00000803"),
                        idx("train-images-idx3-ubyte.gz", "its gzip stream cut short", b -> cut(SampleFiles.gzip(b), 50),
                                "corrupt gzip stream (Unexpected end of ZLIB input stream)"),
                        idx("t10k-labels-idx1-ubyte.gz", "a gzip checksum that does not match", b -> {
                                    byte[] gzip = SampleFiles.gzip(b);
                                    return withByte(gzip, gzip.length - 8, gzip[gzip.length - 8] ^ 1);
                                },
                                "corrupt gzip stream (Corrupt GZIP trailer)"),
                        idx("train-images-idx3-ubyte.gz", "its content cut short before compression", b -> SampleFiles.gzip(cut(b, 100)),
                                "truncated at byte " + (TRAIN_IMAGE_BYTES - 100) + " of the decompressed content")),
                Stream.of(
                        cifar("data_batch_3.bin", "its last record cut short", b -> cut(b, 100),
                                "size 6046 bytes is not a multiple of the 3073-byte CIFAR-10 record", "the last record starts at byte 3073 and is incomplete"),
                        cifar("test_batch.bin", "7 bytes too many", b -> Arrays.copyOf(b, b.length + 7),
                                "size 6153 bytes is not a multiple of the 3073-byte CIFAR-10 record", "the last record starts at byte 6146"),
                        cifar("data_batch_2.bin", "a label of 10", b -> withByte(b, 3073, 10), "label 10 at byte 3073 outside 0..9"),
                        cifar("data_batch_4.bin", "missing", null, "not found; looked for data_batch_4.bin in directory"),
                        cifar("test_batch.bin", "no bytes at all", b -> new byte[0], "empty: expected at least one 3073-byte CIFAR-10 record")),
                safetensors("a header length past the end of the file", b -> withLong(b, 0, b.length),
                        "runs past the end of the file"),
                safetensors("a header that is not JSON", b -> withByte(b, 8, '<'), "is not valid JSON near byte"),
                safetensors("data offsets past the end of the data", offsets("state.step", (begin, end) -> new long[] {1L << 30, (1L << 30) + 8}),
                        "tensor 'state.step': data_offsets [1073741824, 1073741832] do not lie within the data section of"),
                safetensors("data offsets overlapping the tensor before", offsets("state.step", (begin, end) -> new long[] {begin - 4, end - 4}),
                        "tensor 'state.step': data starts at offset", "which overlaps tensor"),
                safetensors("data offsets that end before they begin", offsets("state.step", (begin, end) -> new long[] {end, begin}),
                        "tensor 'state.step': data_offsets", "do not lie within the data section"),
                safetensors("the unknown dtype F16", header(h -> ((ObjectNode) h.get("conv0.weight")).put("dtype", "F16")),
                        "tensor 'conv0.weight': dtype \"F16\" is not supported; supported: [F32, I32, I64]"),
                safetensors("a tensor renamed", header(h -> h.set("conv0.weights", h.remove("conv0.weight"))),
                        "has no tensor 'conv0.weight'"),
                safetensors("5 bytes", b -> Arrays.copyOf(b, 5), "too short for a safetensors file: 5 bytes, but the header length alone takes 8"),
                Stream.of(
                        checkpoint("no cebm metadata", header(h -> ((ObjectNode) h.get("__metadata__")).remove("format")),
                                "not a cebm checkpoint (metadata format is null, expected cebm-checkpoint-1)"),
                        checkpoint("no configuration", header(h -> ((ObjectNode) h.get("__metadata__")).remove("config")),
                                "no configuration"),
                        checkpoint("a configuration that is not JSON", configText(c -> c.substring(0, 30)), "configuration", "not valid JSON"),
                        checkpoint("a configuration without arch", config(c -> c.remove("arch")), "configuration", "has no arch"),
                        checkpoint("a configuration with the unknown architecture code29", config(c -> c.put("arch", "code29")),
                                "configuration", "code29", "paper28, paper32 or code28"),
                        checkpoint("a configuration with batch \"four\"", config(c -> c.put("batch", "four")),
                                "configuration", "batch", "\"four\"", "int")),
                Stream.of(new Damage("exported parameters", "model.safetensors", "given to --resume", parameters(UnaryOperator.identity()), List.of(Command.RESUME),
                        List.of("has no tensor 'adam.m.")))
        ).flatMap(rows -> rows);
    }

    static Stream<Arguments> cases() {
        return table().flatMap(damage -> damage.commands().stream().map(command -> Arguments.of(damage, command)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void isRefusedInOneLineAndNothingIsWritten(Damage damage, Command command, @TempDir Path folder) throws IOException {
        Inputs inputs = damage.setup().write(folder);
        Map<String, String> before = contents(folder);

        Object[] result = CommandLineTest.run(command.args.apply(inputs, folder.resolve("out")).toArray(String[]::new));

        String err = (String) result[1], line = err.strip();
        assertEquals(Main.USAGE_ERROR, result[0], err);
        assertEquals(1, line.lines().count(), "one line: " + err);
        assertTrue(line.startsWith("cebm " + command.command() + ": "), line);
        assertTrue(line.contains(folder.resolve(damage.file()).toString()), "names the file: " + line);
        for (String words : damage.expected()) assertTrue(line.contains(words), "says \"" + words + "\": " + line);
        assertEquals(before, contents(folder), "nothing written, nothing changed");
    }

    /** MNIST's four files with {@code file} in {@code data} replaced by {@code edit} of it; a name ending .gz replaces the plain one. */
    private static Damage idx(String file, String what, UnaryOperator<byte[]> edit, String... expected) {
        Setup setup = folder -> {
            Path data = folder.resolve("data");
            SampleFiles.writeMnist(data, TRAIN_IMAGES, TEST_IMAGES);
            Path plain = data.resolve(file.replaceFirst("\\.gz$", ""));
            byte[] good = Files.readAllBytes(plain);
            Files.delete(plain);
            Files.write(data.resolve(file), edit.apply(good));
            return new Inputs(run, data);
        };
        return new Damage("IDX", "data/" + file, what, setup, DATA_READERS, List.of(expected));
    }

    /** CIFAR-10's six files (two records each) with {@code file} replaced by {@code edit} of it, or left out where {@code edit} is null. */
    private static Damage cifar(String file, String what, UnaryOperator<byte[]> edit, String... expected) {
        Setup setup = folder -> {
            Path data = folder.resolve("data");
            SampleFiles.writeCifar10(data, 2, 2);
            Path damaged = data.resolve(file);
            if (edit == null) Files.delete(damaged);
            else Files.write(damaged, edit.apply(Files.readAllBytes(damaged)));
            return new Inputs(run, data);
        };
        return new Damage("CIFAR-10", "data/" + file, what, setup, List.of(Command.TRAIN_CIFAR), List.of(expected));
    }

    /** The same damage to a checkpoint and to exported parameters. */
    private static Stream<Damage> safetensors(String what, UnaryOperator<byte[]> edit, String... expected) {
        return Stream.of(checkpoint(what, edit, expected),
                new Damage("exported parameters", "model.safetensors", what, parameters(edit), PARAMETER_READERS, List.of(expected)));
    }

    /** A run folder holding only the trained checkpoint, changed by {@code edit}. */
    private static Damage checkpoint(String what, UnaryOperator<byte[]> edit, String... expected) {
        Setup setup = folder -> {
            Path runFolder = Files.createDirectory(folder.resolve("run"));
            Files.write(runFolder.resolve(TrainingRun.CHECKPOINT), edit.apply(checkpoint));
            return new Inputs(runFolder, mnist);
        };
        return new Damage("checkpoint", "run/" + TrainingRun.CHECKPOINT, what, setup, CHECKPOINT_READERS, List.of(expected));
    }

    /** The exported parameters, changed by {@code edit}, given by their file name. */
    private static Setup parameters(UnaryOperator<byte[]> edit) {
        return folder -> new Inputs(Files.write(folder.resolve("model.safetensors"), edit.apply(exported)), mnist);
    }

    private static byte[] withByte(byte[] bytes, int offset, int value) {
        byte[] changed = bytes.clone();
        changed[offset] = (byte) value;
        return changed;
    }

    /** A big-endian int, as IDX headers hold them. */
    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] changed = bytes.clone();
        ByteBuffer.wrap(changed).putInt(offset, value);
        return changed;
    }

    /** A little-endian long, as safetensors' header length is. */
    private static byte[] withLong(byte[] bytes, int offset, long value) {
        byte[] changed = bytes.clone();
        ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN).putLong(offset, value);
        return changed;
    }

    private static byte[] cut(byte[] bytes, int count) {
        return Arrays.copyOf(bytes, bytes.length - count);
    }

    /** A safetensors file with its JSON header changed by {@code edit} and its data section as it was. */
    private static UnaryOperator<byte[]> header(Consumer<ObjectNode> edit) {
        return bytes -> {
            int length = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            try {
                ObjectNode header = (ObjectNode) JSON.readTree(bytes, 8, length);
                edit.accept(header);
                byte[] json = JSON.writeValueAsBytes(header);
                int data = bytes.length - 8 - length;
                return ByteBuffer.allocate(8 + json.length + data).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(json.length).put(json).put(bytes, 8 + length, data).array();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @FunctionalInterface
    private interface OffsetsEdit {
        long[] apply(long begin, long end);
    }

    /** New data_offsets for {@code tensor}, from its old ones. */
    private static UnaryOperator<byte[]> offsets(String tensor, OffsetsEdit edit) {
        return header(h -> {
            ObjectNode entry = (ObjectNode) h.get(tensor);
            long[] changed = edit.apply(entry.get("data_offsets").get(0).asLong(), entry.get("data_offsets").get(1).asLong());
            entry.putArray("data_offsets").add(changed[0]).add(changed[1]);
        });
    }

    /** The configuration in the checkpoint's metadata, as text, changed by {@code edit}. */
    private static UnaryOperator<byte[]> configText(UnaryOperator<String> edit) {
        return header(h -> {
            ObjectNode metadata = (ObjectNode) h.get("__metadata__");
            metadata.put("config", edit.apply(metadata.get("config").asText()));
        });
    }

    /** The configuration in the checkpoint's metadata, as JSON, changed by {@code edit}. */
    private static UnaryOperator<byte[]> config(Consumer<ObjectNode> edit) {
        return configText(text -> {
            try {
                ObjectNode config = (ObjectNode) JSON.readTree(text);
                edit.accept(config);
                return JSON.writeValueAsString(config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Every file and folder under {@code folder}, with a digest of each file's bytes. */
    private static Map<String, String> contents(Path folder) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.toList()) {
                contents.put(folder.relativize(path).toString(), Files.isDirectory(path) ? "folder" : digest(Files.readAllBytes(path)));
            }
        }
        return contents;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
