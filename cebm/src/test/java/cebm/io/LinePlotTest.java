package cebm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    /** The colours of the first two series. */
    private static final int BLUE = 0x1f77b4;
    private static final int RED = 0xd62728;

    @TempDir
    Path dir;

    private static int pixelsOfColour(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void drawsEverySeriesInItsOwnColour() throws IOException {
        double[] steps = {0, 100, 200, 300};
        Path png = dir.resolve("energies.png");
        new LinePlot("Energies", "step", "energy")
                .add("E_data", steps, new double[] {-5, -7, -8, -8.5})
                .add("E_model", steps, new double[] {-1, -4, -6, -7})
                .write(png);
        BufferedImage image = ImageIO.read(png.toFile());

        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        // Far more than the legend's short sample lines: the data lines themselves were drawn.
        assertTrue(pixelsOfColour(image, BLUE) > 500, "blue pixels: " + pixelsOfColour(image, BLUE));
        assertTrue(pixelsOfColour(image, RED) > 500, "red pixels: " + pixelsOfColour(image, RED));
    }

    @Test
    void survivesNonFiniteConstantAndEmptyInput() throws IOException {
        Path png = dir.resolve("odd.png");
        new LinePlot("Diverged", "step", "loss")
                .add("loss", new double[] {0, 1, 2, 3}, new double[] {2, Double.NaN, Double.POSITIVE_INFINITY, 2})
                .add("nothing", new double[0], new double[0])
                .write(png);
        assertEquals(800, ImageIO.read(png.toFile()).getWidth());

        Path empty = dir.resolve("empty.png");
        new LinePlot("No data yet", "step", "value").write(empty);
        assertEquals(500, ImageIO.read(empty.toFile()).getHeight());
    }

    @Test
    void rejectsSeriesOfUnequalLength() {
        LinePlot plot = new LinePlot("t", "x", "y");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plot.add("s", new double[2], new double[3]));
        assertEquals("series 's': 2 x values but 3 y values", e.getMessage());
    }
}
