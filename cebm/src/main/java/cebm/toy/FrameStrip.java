package cebm.toy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A few frames of the training GIF side by side, for a page that cannot animate: the frames at
 * 0, 1/40, 1/20, 1/10, 1/4 and all of the run, where the early changes are fast and the late
 * ones slow.
 */
final class FrameStrip {
    private static final double[] FRACTIONS = {0, 1.0 / 40, 1.0 / 20, 1.0 / 10, 1.0 / 4, 1};

    private FrameStrip() {}

    static BufferedImage of(List<BufferedImage> frames) {
        BufferedImage first = frames.get(0);
        int width = first.getWidth(), height = first.getHeight();
        BufferedImage strip = new BufferedImage(FRACTIONS.length * width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, strip.getWidth(), height);
        for (int i = 0; i < FRACTIONS.length; i++) {
            g.drawImage(frames.get((int) Math.round(FRACTIONS[i] * (frames.size() - 1))), i * width, 0, null);
        }
        g.dispose();
        return strip;
    }
}
