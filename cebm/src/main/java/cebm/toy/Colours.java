package cebm.toy;

import java.awt.Color;

/** The colours of the playground's pictures. */
final class Colours {
    private Colours() {}

    /** Viridis at five stops (dark purple → yellow), perceptually even and readable in grey. */
    private static final int[] VIRIDIS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

    /** One colour per label: the data's shapes (up to eight). */
    static final Color[] LABELS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
    };

    static final Color DATA = new Color(0x1f77b4);
    static final Color SAMPLES = new Color(0xff7f0e);

    /** Viridis at t ∈ [0, 1] (clamped), linearly between the stops, as 0xRRGGBB. */
    static int viridis(double t) {
        double s = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double f = s - i;
        int a = VIRIDIS[i], b = VIRIDIS[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return (r << 16) | (g << 8) | bl;
    }

    /** The colour mixed with white: {@code amount} 0 gives the colour, 1 white; as 0xRRGGBB. */
    static int tint(Color c, double amount) {
        int r = (int) Math.round(c.getRed() + (255 - c.getRed()) * amount);
        int g = (int) Math.round(c.getGreen() + (255 - c.getGreen()) * amount);
        int b = (int) Math.round(c.getBlue() + (255 - c.getBlue()) * amount);
        return (r << 16) | (g << 8) | b;
    }
}
