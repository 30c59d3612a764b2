package cebm.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import cebm.io.ImageGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes a grid of example images to {@code target/previews/} so a person can check by eye that a data set
 * looks right: one row per class, so a wrong label shows up as a misfit in its row.
 */
final class Previews {
    private static final Path DIRECTORY = Path.of("target", "previews");

    private Previews() {
    }

    /** Writes the first {@code perClass} images of every class as {@code fileName} and checks the PNG's size. */
    static Path write(String fileName, Dataset data, int perClass) throws IOException {
        int[] chosen = new int[data.classes() * perClass];
        int[] found = new int[data.classes()];
        for (int i = 0; i < data.size(); i++) {
            int label = data.label(i);
            if (found[label] < perClass) {
                chosen[label * perClass + found[label]++] = i;
            }
        }
        for (int label = 0; label < data.classes(); label++) {
            assertEquals(perClass, found[label], "examples of class " + label + " in " + data.name());
        }
        Path png = DIRECTORY.resolve(fileName);
        ImageGrid.write(png, data.batch(chosen), perClass);

        BufferedImage written = ImageIO.read(png.toFile());
        assertNotNull(written, png + " is not a readable image");
        assertEquals(perClass * (data.width() + 1) + 1, written.getWidth());
        assertEquals(data.classes() * (data.height() + 1) + 1, written.getHeight());
        return png;
    }
}
