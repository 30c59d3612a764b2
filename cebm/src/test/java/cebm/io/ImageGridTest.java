package cebm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    private static final int SEPARATOR_GREY = 128;

    @TempDir
    Path dir;

    private static int grey(BufferedImage image, int x, int y) {
        return image.getRaster().getSample(x, y, 0);
    }

    @Test
    void tilesGrayscaleImagesRowByRowWithSeparators() throws IOException {
        // Three 2×2 images in a grid of two columns; image n has the values a, b / c, d below.
        float[] pixels = {
            -1, 1, -0.5f, 0.5f,
            1, 1, 1, 1,
            -1, -1, 9, -9,
        };
        Path png = dir.resolve("grid.png");
        ImageGrid.write(png, pixels, 1, 2, 2, 2);
        BufferedImage image = ImageIO.read(png.toFile());

        assertEquals(2 * 3 + 1, image.getWidth());
        assertEquals(2 * 3 + 1, image.getHeight());
        assertEquals(SEPARATOR_GREY, grey(image, 0, 0), "frame");
        assertEquals(SEPARATOR_GREY, grey(image, 3, 1), "separator between columns");
        assertEquals(0, grey(image, 1, 1), "image 0, value -1");
        assertEquals(255, grey(image, 2, 1), "image 0, value 1");
        assertEquals(64, grey(image, 1, 2), "image 0, value -0.5");
        assertEquals(255, grey(image, 5, 2), "image 1 (second column)");
        assertEquals(255, grey(image, 1, 5), "image 2 (second row), 9 clamped");
        assertEquals(0, grey(image, 2, 5), "image 2 (second row), -9 clamped");
        assertEquals(SEPARATOR_GREY, grey(image, 4, 4), "the unused cell stays background");
    }

    @Test
    void writesColourImagesFromChannelPlanes() throws IOException {
        // One 1×2 image: red plane (1, -1), green plane (-1, 1), blue plane (-1, -1).
        Tensor image = Tensors.of(new float[] {1, -1, -1, 1, -1, -1}, 1, 3, 1, 2);
        Path png = dir.resolve("colour.png");
        ImageGrid.write(png, image, 8);
        BufferedImage written = ImageIO.read(png.toFile());

        assertEquals(2 + 2, written.getWidth(), "one column used although eight were allowed");
        assertEquals(1 + 2, written.getHeight());
        assertEquals(0xff0000, written.getRGB(1, 1) & 0xffffff);
        assertEquals(0x00ff00, written.getRGB(2, 1) & 0xffffff);
    }

    @Test
    void rejectsUnsupportedShapes() {
        Path png = dir.resolve("never.png");
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, new float[8], 2, 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, new float[7], 1, 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, new float[0], 1, 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.write(png, Tensors.zeros(2, 4), 1));
    }
}
