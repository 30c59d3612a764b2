package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checks the readers against the real data sets in the project's shared data directory, using facts published
 * about those data sets (sizes, class counts, first labels and pixels). Skipped where the data is absent.
 */
class RealDataTest {
    @Test
    void mnist() throws IOException {
        SharedData.directory("mnist");
        DataSets.Split mnist = DataSets.load("mnist", SharedData.directory());

        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(28, mnist.train().height());
        assertEquals(5, mnist.train().label(0));
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, mnist.train().classCounts());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, mnist.test().classCounts());
        Previews.write("mnist.png", mnist.train(), 10);
    }

    @Test
    void fashionMnist() throws IOException {
        SharedData.directory("fashion-mnist");
        DataSets.Split fashion = DataSets.load("fashion-mnist", SharedData.directory());

        assertEquals(60_000, fashion.train().size());
        assertEquals(10_000, fashion.test().size());
        int[] sixThousandEach = new int[10];
        Arrays.fill(sixThousandEach, 6000);
        assertArrayEquals(sixThousandEach, fashion.train().classCounts());
        Previews.write("fashion-mnist.png", fashion.train(), 10);
    }

    @Test
    void cifar10() throws IOException {
        SharedData.directory("cifar-10");
        DataSets.Split cifar = DataSets.load("cifar10", SharedData.directory());

        assertEquals(50_000, cifar.train().size());
        int[] fiveThousandEach = new int[10];
        Arrays.fill(fiveThousandEach, 5000);
        assertArrayEquals(fiveThousandEach, cifar.train().classCounts());
        assertEquals(1000, cifar.test().size(), "only test_batch_first1000.bin is in the shared data");
        assertArrayEquals(new int[] {3, 8, 8, 0, 6}, cifar.test().labels(new int[] {0, 1, 2, 3, 4}));
        // First bytes of the red plane, as published for the original files: they pin down the record layout.
        assertArrayEquals(new int[] {59, 43, 50, 68, 98, 119}, firstBytes(cifar.train().image(0), 6));
        assertArrayEquals(new int[] {158, 159, 165, 166, 160, 156}, firstBytes(cifar.test().image(0), 6));
        Previews.write("cifar10.png", cifar.train(), 10);
    }

    private static int[] firstBytes(float[] image, int count) {
        int[] bytes = new int[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = PixelScale.toByte(image[i]);
        }
        return bytes;
    }
}
