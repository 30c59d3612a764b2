package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {
    @TempDir
    Path dataDir;

    @Test
    void namesStartWithTheDefault() {
        assertEquals(List.of("synthetic", "mnist", "fashion-mnist", "cifar10"), DataSets.names());
        assertEquals(DataSets.DEFAULT, DataSets.names().get(0));
    }

    @Test
    void unknownNamesAreRejectedWithTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSets.load("mnsit", dataDir));
        assertTrue(e.getMessage().contains("unknown data set 'mnsit'; valid names: synthetic, mnist, fashion-mnist, cifar10"), e.getMessage());
    }

    @Test
    void syntheticNeedsNoFiles() throws IOException {
        DataSets.Split split = DataSets.load("synthetic", null);
        assertEquals(10_000, split.train().size());
        assertEquals(2_000, split.test().size());
    }

    @Test
    void readsIdxFilesFromTheConventionalSubdirectoryWithOrWithoutGz() throws IOException {
        Path mnist = Files.createDirectory(dataDir.resolve("mnist"));
        Files.write(mnist.resolve("train-images-idx3-ubyte.gz"), SampleFiles.gzip(SampleFiles.idxImages(3, 28, 28)));
        Files.write(mnist.resolve("train-labels-idx1-ubyte"), SampleFiles.idxLabels(5, 0, 4));
        Files.write(mnist.resolve("t10k-images-idx3-ubyte"), SampleFiles.idxImages(2, 28, 28));
        Files.write(mnist.resolve("t10k-labels-idx1-ubyte.gz"), SampleFiles.gzip(SampleFiles.idxLabels(7, 2)));

        DataSets.Split split = DataSets.load("mnist", dataDir);

        assertArrayEquals(new int[] {5, 0, 4}, split.train().labels(new int[] {0, 1, 2}));
        assertArrayEquals(new int[] {7, 2}, split.test().labels(new int[] {0, 1}));
        assertEquals("mnist-train", split.train().name());
    }

    @Test
    void readsFilesFromTheGivenDirectoryItselfWhenItHasNoSubdirectory() throws IOException {
        Files.write(dataDir.resolve("train-images-idx3-ubyte"), SampleFiles.idxImages(1, 28, 28));
        Files.write(dataDir.resolve("train-labels-idx1-ubyte"), SampleFiles.idxLabels(3));
        Files.write(dataDir.resolve("t10k-images-idx3-ubyte"), SampleFiles.idxImages(1, 28, 28));
        Files.write(dataDir.resolve("t10k-labels-idx1-ubyte"), SampleFiles.idxLabels(8));

        assertEquals(8, DataSets.load("fashion-mnist", dataDir).test().label(0));
    }

    @Test
    void aMissingFileIsNamedWithTheDirectorySearched() throws IOException {
        Path mnist = Files.createDirectory(dataDir.resolve("mnist"));
        Files.write(mnist.resolve("train-images-idx3-ubyte.gz"), SampleFiles.gzip(SampleFiles.idxImages(1, 28, 28)));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> DataSets.load("mnist", dataDir));

        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz or train-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.getMessage().contains("in directory " + mnist.toAbsolutePath()), e.getMessage());
    }

    @Test
    void fileBasedDataSetsNeedADataDirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSets.load("cifar10", null));
        assertTrue(e.getMessage().contains("give a data directory"), e.getMessage());
    }

    @Test
    void cifarPrefersTheFullTestBatchAndFallsBackToTheFirstThousand() throws IOException {
        Path cifar = Files.createDirectory(dataDir.resolve("cifar-10"));
        for (int batch = 1; batch <= 5; batch++) {
            Files.write(cifar.resolve("data_batch_" + batch + ".bin"), SampleFiles.cifarRecords(batch));
        }
        Files.write(cifar.resolve("test_batch_first1000.bin"), SampleFiles.cifarRecords(9));

        DataSets.Split partial = DataSets.load("cifar10", dataDir);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, partial.train().labels(new int[] {0, 1, 2, 3, 4}));
        assertEquals(9, partial.test().label(0));

        Files.write(cifar.resolve("test_batch.bin"), SampleFiles.cifarRecords(6, 6));
        DataSets.Split full = DataSets.load("cifar10", dataDir);
        assertArrayEquals(new int[] {6, 6}, full.test().labels(new int[] {0, 1}));
    }
}
