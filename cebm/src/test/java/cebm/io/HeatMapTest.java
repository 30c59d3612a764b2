package cebm.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatMapTest {
    @TempDir
    Path dir;

    @Test
    void cellsAreColouredByValue() throws IOException {
        Path png = dir.resolve("confusion.png");
        new HeatMap("confusion", "true", "predicted", List.of("0", "1")).write(png, new double[][] {{1, 0}, {0.5, 0.5}});
        BufferedImage image = ImageIO.read(png.toFile());
        // Cell corners (away from the printed numbers) carry the cell colour.
        assertEquals(HeatMap.colour(1).getRGB(), image.getRGB(92, 62));
        assertEquals(HeatMap.colour(0).getRGB(), image.getRGB(92 + 48, 62));
        assertEquals(HeatMap.colour(0.5).getRGB(), image.getRGB(92, 62 + 48));
        assertEquals(Color.WHITE, HeatMap.colour(-3));
        assertEquals(HeatMap.colour(1), HeatMap.colour(7));
        assertTrue(image.getWidth() > 2 * 48);
    }

    @Test
    void theMatrixMustMatchTheNames() {
        HeatMap h = new HeatMap("t", "r", "c", List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> h.write(dir.resolve("x.png"), new double[][] {{1, 0}}));
        assertThrows(IllegalArgumentException.class, () -> h.write(dir.resolve("x.png"), new double[][] {{1}, {0}}));
    }
}
