package cebm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    /**
     * A file laid out by hand from the format description: compact JSON with metadata first and tensors in
     * name order, padded with spaces to a multiple of 8, then the data of bias, step and weight in that order.
     */
    private static byte[] handMadeFile() {
        String json = "{\"__metadata__\":{\"format\":\"cebm\"},"
                + "\"bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer file = ByteBuffer.allocate(8 + padded + 32).order(ByteOrder.LITTLE_ENDIAN);
        file.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) {
            file.put((byte) ' ');
        }
        file.putFloat(0.5f).putFloat(-1.5f);
        file.putLong(123_456_789_012L);
        file.putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        return file.array();
    }

    private static SafetensorsFile handMadeContent() {
        return SafetensorsFile.builder()
                .putFloats("weight", new float[] {1, 2, 3, 4}, 2, 2)
                .putLongs("step", new long[] {123_456_789_012L})
                .putFloats("bias", new float[] {0.5f, -1.5f}, 2)
                .putMetadata("format", "cebm")
                .build();
    }

    @Test
    void readsAFileLaidOutByHand() throws IOException {
        SafetensorsFile file = Safetensors.read(Files.write(dir.resolve("hand.safetensors"), handMadeFile()));

        assertEquals(List.of("bias", "step", "weight"), List.copyOf(file.tensors().keySet()));
        assertEquals(Map.of("format", "cebm"), file.metadata());
        TensorEntry weight = file.tensor("weight");
        assertEquals(Dtype.F32, weight.dtype());
        assertArrayEquals(new int[] {2, 2}, weight.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, weight.floats());
        assertArrayEquals(new float[] {0.5f, -1.5f}, file.tensor("bias").floats());
        TensorEntry step = file.tensor("step");
        assertArrayEquals(new int[0], step.shape());
        assertEquals(1, step.numel());
        assertArrayEquals(new long[] {123_456_789_012L}, step.longs());
    }

    @Test
    void writesExactlyTheBytesOfTheFormatDescription() throws IOException {
        Path path = dir.resolve("written.safetensors");
        Safetensors.write(path, handMadeContent());
        assertArrayEquals(handMadeFile(), Files.readAllBytes(path));
    }

    @Test
    void readsFilesInAnyTensorOrderWithoutPaddingOrMetadata() throws IOException {
        // Another writer may order the data differently and not pad; both are allowed by the format.
        byte[] header = ("{\"z\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).putInt(-7).putInt(70_000).putFloat(2.25f);

        SafetensorsFile file = Safetensors.read(Files.write(dir.resolve("other.safetensors"), bytes.array()));

        assertEquals(List.of("a", "z"), List.copyOf(file.tensors().keySet()));
        assertArrayEquals(new long[] {-7, 70_000}, file.tensor("z").longs());
        assertArrayEquals(new float[] {2.25f}, file.tensor("a").floats());
        assertTrue(file.metadata().isEmpty());
    }

    @Test
    void roundTripsEveryDtypeAndTheMetadata() throws IOException {
        SafetensorsFile original = SafetensorsFile.builder()
                .putFloats("conv.weight", new float[] {Float.MIN_VALUE, -0f, Float.NaN, Float.MAX_VALUE, 1e-3f, 7}, 1, 2, 3)
                .putLongs("rng.counter", new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2)
                .putInts("epoch", new int[] {Integer.MIN_VALUE, 3}, 2, 1)
                .putFloats("empty", new float[0], 0, 5)
                .putMetadata("model", "cebm-conv")
                .putMetadata("note", "ünïcödé ✓")
                .build();
        Path path = dir.resolve("round.safetensors");
        Safetensors.write(path, original);
        SafetensorsFile read = Safetensors.read(path);

        assertEquals(original.metadata(), read.metadata());
        assertEquals(original.tensors().keySet(), read.tensors().keySet());
        for (TensorEntry expected : original.tensors().values()) {
            TensorEntry actual = read.tensor(expected.name());
            assertEquals(expected.dtype(), actual.dtype(), expected.name());
            assertArrayEquals(expected.shape(), actual.shape(), expected.name());
            if (expected.dtype() == Dtype.F32) {
                assertArrayEquals(expected.floats(), actual.floats(), expected.name());
            } else {
                assertArrayEquals(expected.longs(), actual.longs(), expected.name());
            }
        }
        assertEquals(Dtype.I32, read.tensor("epoch").dtype());
    }

    @Test
    void typedAccessorsRefuseTheWrongDtype() {
        SafetensorsFile file = handMadeContent();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> file.tensor("step").floats());
        assertEquals("tensor 'step' holds I64, not F32", e.getMessage());
        assertThrows(IllegalStateException.class, () -> file.tensor("bias").longs());
    }

    @Test
    void aMissingTensorIsReportedWithTheNamesThereAre() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> handMadeContent().tensor("weights"));
        assertEquals("no tensor named 'weights'; the file has [bias, step, weight]", e.getMessage());
    }

    @Test
    void theBuilderRejectsInconsistentTensors() {
        SafetensorsFile.Builder builder = SafetensorsFile.builder().putFloats("w", new float[4], 4);
        assertThrows(IllegalArgumentException.class, () -> builder.putFloats("w", new float[4], 4), "duplicate name");
        assertThrows(IllegalArgumentException.class, () -> builder.putFloats("__metadata__", new float[1], 1), "reserved name");
        assertThrows(IllegalArgumentException.class, () -> builder.putMetadata("k", "v").putMetadata("k", "w"), "duplicate key");
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> builder.putFloats("x", new float[5], 2, 3));
        assertEquals("tensor 'x': shape [2, 3] holds 6 elements but 5 were given", shape.getMessage());
    }
}
