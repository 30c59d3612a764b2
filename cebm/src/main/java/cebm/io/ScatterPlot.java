package cebm.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Points in the plane coloured by class, with axes, a legend and a title: a 2-D picture of a latent space.
 *
 * <p>Colours are the ten of matplotlib's "tab10" palette, so ten classes are told apart; an eleventh class
 * reuses the first colour. Points are drawn slightly transparent, in the order given, so dense regions
 * show as darker. Points with a non-finite coordinate are skipped. Hand-written with Java2D like
 * {@link LinePlot}: XChart 3.8.8 draws one class after another, so where classes overlap the last one
 * drawn hides the rest; drawn in the order given, the points show the mixture.
 */
public final class ScatterPlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 700;
    private static final int LEFT = 80;
    private static final int RIGHT = 130;
    private static final int TOP = 45;
    private static final int BOTTOM = 60;
    private static final int TARGET_TICKS = 6;
    private static final double RADIUS = 2.2;
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> classNames;

    public ScatterPlot(String title, String xLabel, String yLabel, List<String> classNames) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Draws point {@code i} at ({@code x[i]}, {@code y[i]}) in the colour of class {@code classes[i]} (an index
     * into the class names) and writes the picture to {@code png}, atomically.
     */
    public void write(Path png, double[] x, double[] y, int[] classes) throws IOException {
        if (x.length != y.length || x.length != classes.length) {
            throw new IllegalArgumentException("ScatterPlot: " + x.length + " x, " + y.length + " y and " + classes.length + " classes");
        }
        for (int c : classes) {
            if (c < 0 || c >= classNames.size()) throw new IllegalArgumentException("ScatterPlot: class " + c + " has no name");
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, x, y, classes);
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available in this Java runtime");
        });
    }

    private void draw(Graphics2D g, double[] x, double[] y, int[] classes) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        AxisTicks xTicks = ticks(x, y, x);
        AxisTicks yTicks = ticks(x, y, y);
        FontMetrics metrics = g.getFontMetrics();
        int plotWidth = WIDTH - LEFT - RIGHT, plotHeight = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i < xTicks.count(); i++) {
            int px = (int) Math.round(LEFT + (xTicks.value(i) - xTicks.first()) / (xTicks.last() - xTicks.first()) * plotWidth);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            drawCentred(g, xTicks.label(i), px, HEIGHT - BOTTOM + 18);
        }
        for (int i = 0; i < yTicks.count(); i++) {
            int py = (int) Math.round(HEIGHT - BOTTOM - (yTicks.value(i) - yTicks.first()) / (yTicks.last() - yTicks.first()) * plotHeight);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.DARK_GRAY);
            String label = yTicks.label(i);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), py + metrics.getAscent() / 2 - 1);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) continue;
            double px = LEFT + (x[i] - xTicks.first()) / (xTicks.last() - xTicks.first()) * plotWidth;
            double py = HEIGHT - BOTTOM - (y[i] - yTicks.first()) / (yTicks.last() - yTicks.first()) * plotHeight;
            Color c = PALETTE[classes[i] % PALETTE.length];
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
            g.fill(new Ellipse2D.Double(px - RADIUS, py - RADIUS, 2 * RADIUS, 2 * RADIUS));
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        drawCentred(g, xLabel, LEFT + plotWidth / 2, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        drawCentred(rotated, yLabel, -(TOP + plotHeight / 2), 18);
        rotated.dispose();
        int lineHeight = metrics.getHeight();
        for (int c = 0; c < classNames.size(); c++) {
            int baseline = TOP + 10 + lineHeight * (c + 1);
            g.setColor(PALETTE[c % PALETTE.length]);
            g.fillOval(WIDTH - RIGHT + 15, baseline - metrics.getAscent() / 2 - 4, 9, 9);
            g.setColor(Color.BLACK);
            g.drawString(classNames.get(c), WIDTH - RIGHT + 30, baseline);
        }
        g.setFont(g.getFont().deriveFont(Font.BOLD, 16f));
        drawCentred(g, title, LEFT + plotWidth / 2, TOP - 15);
    }

    /** Ticks covering the finite points' values along one axis ({@code values} is x or y). */
    private static AxisTicks ticks(double[] x, double[] y, double[] values) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
        }
        if (min > max) return AxisTicks.covering(0, 1, TARGET_TICKS);
        double pad = min < max ? 0 : Math.max(1, Math.abs(min) * 0.1);
        return AxisTicks.covering(min - pad, max + pad, TARGET_TICKS);
    }

    private static void drawCentred(Graphics2D g, String text, int centreX, int baseline) {
        g.drawString(text, centreX - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
