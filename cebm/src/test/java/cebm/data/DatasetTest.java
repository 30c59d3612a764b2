package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cebm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** Four 2-channel 1×2 images; image i holds the values 10i .. 10i+3, so every value says where it came from. */
    private static Dataset fourImages() {
        float[] pixels = new float[4 * 4];
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                pixels[i * 4 + k] = 10 * i + k;
            }
        }
        return Dataset.of("four", 2, 1, 2, 3, pixels, new int[] {2, 0, 1, 2});
    }

    @Test
    void describesItsShape() {
        Dataset data = fourImages();
        assertEquals(4, data.size());
        assertEquals(2, data.channels());
        assertEquals(1, data.height());
        assertEquals(2, data.width());
        assertEquals(3, data.classes());
        assertEquals(4, data.imageSize());
        assertEquals("four", data.name());
    }

    @Test
    void batchStacksTheChosenImagesInTheGivenOrder() {
        Tensor batch = fourImages().batch(new int[] {3, 0, 3});
        assertArrayEquals(new int[] {3, 2, 1, 2}, batch.shape());
        assertArrayEquals(new float[] {30, 31, 32, 33, 0, 1, 2, 3, 30, 31, 32, 33}, batch.toArray());
    }

    @Test
    void labelsFollowTheGivenIndices() {
        assertArrayEquals(new int[] {2, 1, 2}, fourImages().labels(new int[] {0, 2, 3}));
    }

    @Test
    void subsetIsAViewOfARange() {
        Dataset middle = fourImages().subset(1, 3);
        assertEquals(2, middle.size());
        assertArrayEquals(new float[] {10, 11, 12, 13}, middle.image(0));
        assertArrayEquals(new float[] {20, 21, 22, 23}, middle.batch(new int[] {1}).toArray());
        assertArrayEquals(new int[] {0, 1}, middle.labels(new int[] {0, 1}));
        assertArrayEquals(new int[] {1, 1, 0}, middle.classCounts());
        assertThrows(IndexOutOfBoundsException.class, () -> middle.image(2));
        assertArrayEquals(new float[] {20, 21, 22, 23}, middle.subset(1, 2).image(0));
    }

    @Test
    void classCountsCountEachLabel() {
        assertArrayEquals(new int[] {1, 1, 2}, fourImages().classCounts());
    }

    @Test
    void cannotBeChangedThroughArraysGivenOrReturned() {
        float[] pixels = {1, 2};
        int[] labels = {0, 1};
        Dataset data = Dataset.of("two", 1, 1, 1, 2, pixels, labels);
        pixels[0] = 99;
        labels[0] = 1;
        data.image(0)[0] = 77;
        assertArrayEquals(new float[] {1}, data.image(0));
        assertEquals(0, data.label(0));
    }

    @Test
    void rejectsInconsistentInput() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("bad", 1, 2, 2, 10, new float[7], new int[2]));
        assertTrue(size.getMessage().contains("7 pixel values do not hold 2 images"), size.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("bad", 1, 1, 1, 10, new float[1], new int[] {10}));
        assertTrue(label.getMessage().contains("label 10 of image 0 outside 0..9"), label.getMessage());
    }

    @Test
    void rejectsIndicesOutsideTheSet() {
        Dataset data = fourImages();
        assertThrows(IndexOutOfBoundsException.class, () -> data.batch(new int[] {4}));
        assertThrows(IndexOutOfBoundsException.class, () -> data.label(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> data.subset(2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> data.subset(3, 2));
    }
}
