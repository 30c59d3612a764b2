package cebm.toy;

import java.awt.image.BufferedImage;

/** Data and model samples side by side, on the same square of the plane. */
final class SamplesPicture {
    private SamplesPicture() {}

    /**
     * @param data    the data points (x0, y0, x1, y1, …)
     * @param samples the samples, in the same layout
     * @param steps   how many SGLD steps made the samples from uniform noise (for the caption)
     */
    static BufferedImage draw(Viewport view, float[] data, float[] samples, int steps) {
        Canvas canvas = new Canvas(view.size(), "data (" + data.length / 2 + " points)",
                "samples (" + samples.length / 2 + " chains, " + steps + " SGLD steps from noise)");
        canvas.panel(0, view).dots(data, 1.5, Colours.DATA, null);
        canvas.panel(1, view).dots(samples, 1.5, Colours.SAMPLES, null);
        return canvas.image();
    }
}
