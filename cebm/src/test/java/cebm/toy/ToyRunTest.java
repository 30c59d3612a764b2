package cebm.toy;

import cebm.train.Progress;
import cebm.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyRunTest {
    @Test
    void aShortRunDrawsEveryPicture(@TempDir Path dir) throws Exception {
        TrainConfig config = ToySetup.config(ToyData.TWO_MOONS, 4, 10, 0);
        ToyRun.Result r = new ToyRun(config, dir, true).run(new Progress(new PrintStream(new ByteArrayOutputStream()), true, 0, 10));
        assertEquals(10, r.steps());
        assertTrue(Double.isFinite(r.energyData()) && Double.isFinite(r.energyModel()), r.toString());
        assertEquals(List.of("energy.png", "samples.png", "latent.png", "training.gif", "training.png"),
                r.files().stream().map(p -> p.getFileName().toString()).toList());
        for (Path file : r.files()) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertTrue(image != null && image.getWidth() > 300 / (file.toString().endsWith(".gif") ? 2 : 1), file.toString());
        }
        assertTrue(Files.size(dir.resolve("training.gif")) > Files.size(dir.resolve("energy.png")) / 10, "the GIF holds frames");
    }
}
