package cebm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticDigitsTest {
    private static float[] allPixels(Dataset data) {
        return data.batch(IntStream.range(0, data.size()).toArray()).toArray();
    }

    @Test
    void hasTheShapeOfMnist() {
        Dataset data = SyntheticDigits.train(20, 1);
        assertEquals(20, data.size());
        assertEquals(1, data.channels());
        assertEquals(28, data.height());
        assertEquals(28, data.width());
        assertEquals(10, data.classes());
    }

    @Test
    void theSameSeedGivesIdenticalPixels() {
        assertArrayEquals(allPixels(SyntheticDigits.train(50, 7)), allPixels(SyntheticDigits.train(50, 7)));
        assertArrayEquals(allPixels(SyntheticDigits.test(50, 7)), allPixels(SyntheticDigits.test(50, 7)));
    }

    @Test
    void differentSeedsAndTheTwoSplitsGiveDifferentImages() {
        float[] train = allPixels(SyntheticDigits.train(50, 7));
        assertFalse(Arrays.equals(train, allPixels(SyntheticDigits.train(50, 8))));
        assertFalse(Arrays.equals(train, allPixels(SyntheticDigits.test(50, 7))));
    }

    @Test
    void classesAreBalancedAndCycleInOrder() {
        Dataset data = SyntheticDigits.train(1000, 3);
        int[] expected = new int[10];
        Arrays.fill(expected, 100);
        assertArrayEquals(expected, data.classCounts());
        assertArrayEquals(new int[] {0, 1, 2, 9, 0}, data.labels(new int[] {0, 1, 2, 9, 10}));
    }

    @Test
    void pixelsSpanMinusOneToOne() {
        float[] pixels = allPixels(SyntheticDigits.train(200, 5));
        double min = 0;
        double max = 0;
        for (float p : pixels) {
            assertTrue(p >= -1f && p <= 1f, "pixel " + p + " outside [-1, 1]");
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertEquals(-1, min, "background");
        assertEquals(1, max, "full ink");
    }

    @Test
    void everyImageHasSomeInkButIsMostlyBackground() {
        Dataset data = SyntheticDigits.train(200, 5);
        for (int i = 0; i < data.size(); i++) {
            double inked = 0;
            for (float p : data.image(i)) {
                inked += (p + 1) / 2;
            }
            double fraction = inked / data.imageSize();
            assertTrue(fraction > 0.03 && fraction < 0.5, "image " + i + " (digit " + data.label(i) + ") has ink fraction " + fraction);
        }
    }

    /** If the digits were not distinguishable, even this crude classifier would sit near 10% accuracy. */
    @Test
    void aNearestClassMeanClassifierTellsTheDigitsApart() {
        Dataset train = SyntheticDigits.train(2000, 11);
        Dataset test = SyntheticDigits.test(1000, 11);
        int[] counts = train.classCounts();
        double[][] means = new double[10][train.imageSize()];
        for (int i = 0; i < train.size(); i++) {
            float[] image = train.image(i);
            for (int k = 0; k < image.length; k++) {
                means[train.label(i)][k] += image[k] / counts[train.label(i)];
            }
        }
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            if (nearest(means, test.image(i)) == test.label(i)) {
                correct++;
            }
        }
        double accuracy = correct / (double) test.size();
        assertTrue(accuracy > 0.7, "nearest-class-mean accuracy " + accuracy);
    }

    private static int nearest(double[][] means, float[] image) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < means.length; c++) {
            double distance = 0;
            for (int k = 0; k < image.length; k++) {
                distance += (image[k] - means[c][k]) * (image[k] - means[c][k]);
            }
            if (distance < bestDistance) {
                bestDistance = distance;
                best = c;
            }
        }
        return best;
    }

    @Test
    void generatesTenThousandImages() {
        Dataset data = SyntheticDigits.train(10_000, 13);
        assertEquals(10_000, data.size());
        int[] expected = new int[10];
        Arrays.fill(expected, 1000);
        assertArrayEquals(expected, data.classCounts());
    }

    /**
     * Writes target/previews/synthetic-digits.png (look at it to check that the digits are recognisable) and
     * reads it back: a PNG of 10 rows of 16 cells, 28×28 pixels each inside 1-pixel grey lines, in which row c
     * holds the first 16 images of digit c pixel for pixel, and every cell has background and ink.
     */
    @Test
    void writesAPreviewGrid() throws IOException {
        Dataset data = SyntheticDigits.train(200, 1);
        int perClass = 16;
        Path png = Previews.write("synthetic-digits.png", data, perClass);

        assertTrue(Files.isRegularFile(png), png + " was not written");
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        assertArrayEquals(signature, Arrays.copyOf(Files.readAllBytes(png), signature.length), "PNG signature");
        BufferedImage grid = ImageIO.read(png.toFile());
        assertNotNull(grid, png + " does not decode");
        int cell = 28 + 1;
        assertEquals(perClass * cell + 1, grid.getWidth());
        assertEquals(10 * cell + 1, grid.getHeight());
        Raster raster = grid.getRaster();
        assertEquals(1, raster.getNumBands(), "grayscale");

        for (int digit = 0; digit < 10; digit++) {
            int label = digit;
            int[] images = IntStream.range(0, data.size()).filter(i -> data.label(i) == label).limit(perClass).toArray();
            for (int column = 0; column < perClass; column++) {
                float[] image = data.image(images[column]);
                int left = 1 + column * cell;
                int top = 1 + digit * cell;
                int darkest = 255;
                int brightest = 0;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int written = raster.getSample(left + x, top + y, 0);
                        assertEquals(PixelScale.toByte(image[y * 28 + x]), written,
                                "digit " + digit + ", cell " + column + ", pixel (" + x + ", " + y + ")");
                        darkest = Math.min(darkest, written);
                        brightest = Math.max(brightest, written);
                    }
                }
                assertTrue(darkest < 32 && brightest > 224,
                        "digit " + digit + ", cell " + column + ": grey levels only from " + darkest + " to " + brightest);
                assertEquals(128, raster.getSample(left - 1, top + 14, 0), "grey line left of digit " + digit + ", cell " + column);
            }
        }
    }
}
