package cebm.io;

import java.awt.image.RenderedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes a picture as a PNG file, atomically replacing any previous file (see {@link AtomicFiles}). */
public final class Png {
    private Png() {
    }

    public static void write(Path png, RenderedImage image) throws IOException {
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in this Java runtime");
            }
        });
    }
}
