package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertMessageContains(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message lacks \"" + part + "\": " + e.getMessage());
        }
    }

    @Test
    void readsRawFiles() throws IOException {
        Dataset data = IdxReader.read("tiny", file("images", SampleFiles.idxImages(3, 2, 3)), file("labels", SampleFiles.idxLabels(5, 0, 9)));

        assertEquals("tiny", data.name());
        assertEquals(3, data.size());
        assertEquals(1, data.channels());
        assertEquals(2, data.height());
        assertEquals(3, data.width());
        assertEquals(10, data.classes());
        assertArrayEquals(new int[] {5, 0, 9}, data.labels(new int[] {0, 1, 2}));
        float[] second = data.image(1);
        for (int k = 0; k < 6; k++) {
            assertEquals(PixelScale.fromByte(6 + k), second[k], "pixel " + k + " of image 1");
        }
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        Dataset raw = IdxReader.read("raw", file("images", SampleFiles.idxImages(3, 2, 3)), file("labels", SampleFiles.idxLabels(5, 0, 9)));
        // Deliberately misleading names: the compressed file lacks .gz, the raw one has it.
        Dataset gzipped = IdxReader.read("gz", file("images.idx", SampleFiles.gzip(SampleFiles.idxImages(3, 2, 3))),
                file("labels.gz", SampleFiles.idxLabels(5, 0, 9)));

        assertArrayEquals(raw.batch(new int[] {0, 1, 2}).toArray(), gzipped.batch(new int[] {0, 1, 2}).toArray());
        assertArrayEquals(raw.labels(new int[] {0, 1, 2}), gzipped.labels(new int[] {0, 1, 2}));
    }

    @Test
    void rejectsAnImageFileWithTheWrongMagicNumber() throws IOException {
        byte[] images = SampleFiles.idxImages(3, 2, 3);
        images[2] = 0x12;
        Path path = file("images", images);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", path, file("labels", SampleFiles.idxLabels(1, 2, 3))));
        assertMessageContains(e, path.toString(), "not an IDX image file: magic number 0x00001203 at byte 0, expected 0x00000803");
        assertEquals(path, e.file());
    }

    @Test
    void suspectsSwappedFilesWhenTheMagicNumbersAreTheOtherWayRound() throws IOException {
        Path labels = file("labels", SampleFiles.idxLabels(1, 2, 3));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", labels, labels));
        assertMessageContains(e, "magic number 0x00000801 at byte 0, expected 0x00000803", "swapped");
    }

    @Test
    void rejectsALabelFileWithTheWrongMagicNumber() throws IOException {
        Path images = file("images", SampleFiles.idxImages(3, 2, 3));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", images, images));
        assertMessageContains(e, "not an IDX label file: magic number 0x00000803 at byte 0, expected 0x00000801");
    }

    @Test
    void rejectsATruncatedImageFileSayingWhereAndHowLongItShouldBe() throws IOException {
        byte[] images = SampleFiles.idxImages(3, 2, 3);
        Path path = file("images", Arrays.copyOf(images, images.length - 5));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", path, file("labels", SampleFiles.idxLabels(1, 2, 3))));
        assertMessageContains(e, path.toString(), "truncated at byte 29: expected 34 bytes (count × rows × cols + 16 = 3 × 2 × 3 + 16)");
    }

    @Test
    void countsBytesOfTheDecompressedContentInGzipFiles() throws IOException {
        byte[] images = SampleFiles.idxImages(3, 2, 3);
        Path path = file("images.gz", SampleFiles.gzip(Arrays.copyOf(images, images.length - 5)));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", path, file("labels", SampleFiles.idxLabels(1, 2, 3))));
        assertMessageContains(e, "truncated at byte 29 of the decompressed content: expected 34 bytes");
    }

    @Test
    void rejectsAFileTooShortForItsHeader() throws IOException {
        Path path = file("images", Arrays.copyOf(SampleFiles.idxImages(3, 2, 3), 10));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", path, file("labels", SampleFiles.idxLabels(1))));
        assertMessageContains(e, "truncated at byte 10: an IDX image file needs a header of 16 bytes");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path labels = file("labels", Arrays.copyOf(SampleFiles.idxLabels(1, 2, 3), 13));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", file("images", SampleFiles.idxImages(3, 2, 3)), labels));
        assertMessageContains(e, labels.toString(), "2 unexpected bytes after byte 11: expected 11 bytes (count + 8 = 3 + 8)");
    }

    @Test
    void rejectsFilesThatDisagreeOnTheCount() throws IOException {
        Path labels = file("labels", SampleFiles.idxLabels(1, 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", file("images", SampleFiles.idxImages(3, 2, 3)), labels));
        assertMessageContains(e, labels.toString(), "image and label counts differ (3 vs 2)");
    }

    @Test
    void rejectsALabelOutsideTheTenClasses() throws IOException {
        Path labels = file("labels", SampleFiles.idxLabels(5, 12, 0));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", file("images", SampleFiles.idxImages(3, 2, 3)), labels));
        assertMessageContains(e, labels.toString(), "label 12 at byte 9 outside 0..9");
    }

    @Test
    void reportsACorruptGzipStreamAsADataFileError() throws IOException {
        byte[] corrupt = SampleFiles.gzip(SampleFiles.idxImages(3, 2, 3));
        for (int i = 10; i < corrupt.length - 8; i++) {
            corrupt[i] = (byte) 0xff; // keep the gzip magic and header, destroy the deflate data
        }
        Path path = file("images.gz", corrupt);
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", path, file("labels", SampleFiles.idxLabels(1, 2, 3))));
        assertMessageContains(e, path.toString(), "corrupt gzip stream");
        assertInstanceOf(ZipException.class, e.getCause());
    }

    @Test
    void reportsATruncatedGzipStreamAsADataFileError() throws IOException {
        byte[] compressed = SampleFiles.gzip(SampleFiles.idxLabels(1, 2, 3));
        Path path = file("labels.gz", Arrays.copyOf(compressed, compressed.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read("x", file("images", SampleFiles.idxImages(3, 2, 3)), path));
        assertMessageContains(e, path.toString(), "corrupt gzip stream");
    }
}
