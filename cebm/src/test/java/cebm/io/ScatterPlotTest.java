package cebm.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScatterPlotTest {
    @TempDir
    Path dir;

    /** Pixels close to a colour (the points are drawn anti-aliased and slightly transparent). */
    private static int pixelsNear(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) + Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255))
                        + Math.abs((p & 255) - (rgb & 255));
                if (d < 20) count++;
            }
        }
        return count;
    }

    /** A point's colour as it shows on the white background: drawn with alpha 170/255. */
    private static int onWhite(int rgb) {
        double a = 170 / 255.0;
        int r = (int) Math.round(((rgb >> 16) & 255) * a + 255 * (1 - a));
        int g = (int) Math.round(((rgb >> 8) & 255) * a + 255 * (1 - a));
        int b = (int) Math.round((rgb & 255) * a + 255 * (1 - a));
        return (r << 16) | (g << 8) | b;
    }

    @Test
    void drawsEachClassInItsColour() throws IOException {
        int n = 200;
        double[] x = new double[n], y = new double[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = i % 2;
            x[i] = c[i] * 10 + (i % 17) / 17.0;
            y[i] = (i % 13) / 13.0;
        }
        Path png = dir.resolve("pca.png");
        new ScatterPlot("latents", "PC 1", "PC 2", List.of("zero", "one", "two")).write(png, x, y, c);
        BufferedImage image = ImageIO.read(png.toFile());
        int blue = onWhite(ScatterPlot.PALETTE[0].getRGB()), orange = onWhite(ScatterPlot.PALETTE[1].getRGB());
        int green = onWhite(ScatterPlot.PALETTE[2].getRGB());
        assertTrue(pixelsNear(image, blue) > 100, "class 0 drawn");
        assertTrue(pixelsNear(image, orange) > 100, "class 1 drawn");
        assertTrue(pixelsNear(image, green) < 100, "class 2 only in the legend");
    }

    @Test
    void rejectsMismatchedInputs() {
        ScatterPlot s = new ScatterPlot("t", "x", "y", List.of("a"));
        assertThrows(IllegalArgumentException.class, () -> s.write(dir.resolve("a.png"), new double[2], new double[1], new int[2]));
        assertThrows(IllegalArgumentException.class, () -> s.write(dir.resolve("a.png"), new double[1], new double[1], new int[] {1}));
    }
}
