package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRecordsOfAllFilesInOrderAsChannelMajorImages() throws IOException {
        Path first = Files.write(dir.resolve("a.bin"), SampleFiles.cifarRecords(3, 8));
        Path second = Files.write(dir.resolve("b.bin"), SampleFiles.cifarRecords(0));

        Dataset data = CifarReader.read("cifar", List.of(first, second));

        assertEquals(3, data.size());
        assertEquals(3, data.channels());
        assertEquals(32, data.height());
        assertEquals(32, data.width());
        assertArrayEquals(new int[] {3, 8, 0}, data.labels(new int[] {0, 1, 2}));
        // Record 1 of the first file: pixel byte p is (1 + p) % 256, and the record's R, G, B planes are CHW order.
        float[] image = data.image(1);
        assertEquals(PixelScale.fromByte(1), image[0], "red, row 0, column 0");
        assertEquals(PixelScale.fromByte((1 + 1024 + 33) % 256), image[1024 + 33], "green, row 1, column 1");
        assertEquals(PixelScale.fromByte((1 + 3071) % 256), image[3071], "blue, row 31, column 31");
        // The second file's record starts afresh at r = 0.
        assertEquals(PixelScale.fromByte(0), data.image(2)[0]);
    }

    @Test
    void rejectsAFileThatIsNotAWholeNumberOfRecords() throws IOException {
        byte[] records = SampleFiles.cifarRecords(1, 2);
        Path path = Files.write(dir.resolve("short.bin"), Arrays.copyOf(records, records.length - 1));
        DataFileException e = assertThrows(DataFileException.class, () -> CifarReader.read("cifar", List.of(path)));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("size 6145 bytes is not a multiple of the 3073-byte CIFAR-10 record"), e.getMessage());
        assertTrue(e.getMessage().contains("the last record starts at byte 3073"), e.getMessage());
    }

    @Test
    void rejectsALabelOutsideTheTenClasses() throws IOException {
        Path path = Files.write(dir.resolve("bad.bin"), SampleFiles.cifarRecords(1, 10));
        DataFileException e = assertThrows(DataFileException.class, () -> CifarReader.read("cifar", List.of(path)));
        assertTrue(e.getMessage().contains(path + ": label 10 at byte 3073 outside 0..9"), e.getMessage());
    }

    @Test
    void needsAtLeastOneFile() {
        assertThrows(IllegalArgumentException.class, () -> CifarReader.read("cifar", List.of()));
    }
}
