package cebm.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files must be refused with a message naming the file, the tensor where there is one, and the problem. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    /** A file with the given header (its true length recorded) followed by {@code dataBytes} zero bytes. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json);
        return Files.write(dir.resolve("bad.safetensors"), bytes.array());
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static void assertRefused(Path path, String... messageParts) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(path));
        assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    @Test
    void aFileShorterThanTheLengthField() throws IOException {
        assertRefused(Files.write(dir.resolve("tiny"), new byte[5]), "too short for a safetensors file: 5 bytes");
    }

    @Test
    void aHeaderLengthPastTheEndOfTheFile() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(13);
        assertRefused(Files.write(dir.resolve("long"), bytes.array()),
                "header length 13 at byte 0 runs past the end of the file: the file has 20 bytes, so the header can be at most 12");
    }

    @Test
    void aHeaderLengthWithTheTopBitSet() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1);
        assertRefused(Files.write(dir.resolve("huge"), bytes.array()), "header length 18446744073709551615 at byte 0 runs past the end");
    }

    @Test
    void aHeaderThatIsNotJson() throws IOException {
        assertRefused(file("{\"w\": {\"dtype\": F32}}", 0), "header (bytes 8..29) is not valid JSON near byte 28", "Unrecognized token 'F32'");
    }

    @Test
    void aHeaderWithTrailingGarbage() throws IOException {
        assertRefused(file("{} {}", 0), "is not valid JSON");
    }

    @Test
    void aHeaderThatIsNotAnObject() throws IOException {
        assertRefused(file("[1, 2]", 0), "header must be a JSON object, found: [1,2]");
    }

    @Test
    void anEmptyHeader() throws IOException {
        assertRefused(file("", 0), "header must be a JSON object, found: nothing");
    }

    @Test
    void aDuplicateTensorName() throws IOException {
        assertRefused(file("{" + tensor("w", "F32", "[1]", 0, 4) + "," + tensor("w", "F32", "[1]", 4, 8) + "}", 8),
                "is not valid JSON", "Duplicate field 'w'");
    }

    @Test
    void anUnsupportedDtype() throws IOException {
        assertRefused(file("{" + tensor("w", "F16", "[2]", 0, 4) + "}", 4),
                "tensor 'w': dtype \"F16\" is not supported; supported: [F32, I32, I64]");
    }

    @Test
    void aMissingDtype() throws IOException {
        assertRefused(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w': \"dtype\" must be a string, found: null");
    }

    @Test
    void aNegativeDimension() throws IOException {
        assertRefused(file("{" + tensor("w", "F32", "[2,-1]", 0, 4) + "}", 4),
                "tensor 'w': \"shape\" must be an array of non-negative integers, found: [2,-1]");
    }

    @Test
    void malformedOffsets() throws IOException {
        assertRefused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4),
                "tensor 'w': \"data_offsets\" must be [begin, end] with non-negative integers, found: [4]");
    }

    @Test
    void offsetsOutsideTheData() throws IOException {
        assertRefused(file("{" + tensor("w", "F32", "[2]", 0, 8) + "}", 4),
                "tensor 'w': data_offsets [0, 8] do not lie within the data section of 4 bytes");
    }

    @Test
    void offsetsThatDoNotMatchTheShape() throws IOException {
        assertRefused(file("{" + tensor("w", "F32", "[2,2]", 0, 12) + "}", 12),
                "tensor 'w': shape [2, 2] of F32 needs 16 bytes, but data_offsets [0, 12] span 12");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertRefused(file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'b': data starts at offset 4, which overlaps tensor 'a' (ending at 8)");
    }

    @Test
    void aGapBetweenTensors() throws IOException {
        assertRefused(file("{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("b", "F32", "[1]", 8, 12) + "}", 12),
                "tensor 'b': data starts at offset 8, which leaves a gap after tensor 'a' (ending at 4)");
    }

    @Test
    void dataThatBelongsToNoTensor() throws IOException {
        Path path = file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 10);
        assertRefused(path, "data section bytes 4..10 belong to no tensor");
    }

    @Test
    void metadataThatIsNotAString() throws IOException {
        assertRefused(file("{\"__metadata__\":{\"step\":3}}", 0), "metadata value of 'step' must be a string, found: 3");
    }
}
