package cebm.toy;

import cebm.model.EnergyModel;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * The learned energy landscape as a heat map (see {@link EnergyLandscape#heatMap}), with SGLD at
 * work on top of it: whole chains, or the current positions of the replay buffer's chains.
 */
final class EnergyPicture {
    private static final Color CHAIN = new Color(255, 255, 255, 150);
    private static final Color START = Color.WHITE;
    private static final Color END = new Color(0xd62728);

    private EnergyPicture() {}

    /** The heat map with each chain's path in white, its start as a white dot and its end as a red one. */
    static BufferedImage withChains(EnergyModel model, Viewport view, float[][] paths, int steps) {
        Canvas canvas = new Canvas(view.size(), "energy E(x), yellow = low; " + paths.length + " SGLD chains, " + steps + " steps");
        Canvas.Panel panel = canvas.panel(0, view);
        panel.raster(EnergyLandscape.heatMap(EnergyLandscape.energies(model, view)));
        for (float[] path : paths) {
            panel.line(path, CHAIN, 1f);
            int n = path.length;
            panel.dots(new float[] {path[0], path[1]}, 2, START, null);
            panel.dots(new float[] {path[n - 2], path[n - 1]}, 3, END, Color.BLACK);
        }
        return canvas.image();
    }

    /** The heat map with points (x0, y0, x1, y1, …) as small white dots, under a caption. */
    static BufferedImage withPoints(EnergyModel model, Viewport view, float[] points, String caption) {
        Canvas canvas = new Canvas(view.size(), caption);
        Canvas.Panel panel = canvas.panel(0, view);
        panel.raster(EnergyLandscape.heatMap(EnergyLandscape.energies(model, view)));
        panel.dots(points, 1.2, Color.WHITE, null);
        return canvas.image();
    }
}
