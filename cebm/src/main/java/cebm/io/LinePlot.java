package cebm.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal line chart written to PNG: a few named series of (x, y) points, axes with tick labels, a legend
 * and a title — enough to watch quantities such as E_data and E_model over training steps.
 *
 * <p>Hand-written with Java2D rather than drawn with a charting library: XChart 3.8.8, over evenly spaced x
 * values such as training steps, puts its ticks on every k-th value (50, 300, 550, …) instead of on round
 * numbers ({@link AxisTicks}), and cannot be told where to put them. Points whose x or y is NaN or infinite
 * are skipped and break the line, so a run that diverged still gets a plot.
 *
 * <pre>{@code
 * new LinePlot("Energies over training", "step", "energy")
 *         .add("E_data", steps, dataEnergies)
 *         .add("E_model", steps, modelEnergies)
 *         .write(Path.of("runs/a/energies.png"));
 * }</pre>
 */
public final class LinePlot {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 500;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 45;
    private static final int BOTTOM = 60;
    private static final int TARGET_TICKS = 6;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b),
    };

    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series; {@code x} and {@code y} must have the same length. Returns this plot. */
    public LinePlot add(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Draws the plot and writes it to {@code png}, atomically replacing any previous file. */
    public void write(Path png) throws IOException {
        // Only takes effect before AWT's first use; it stops AWT from looking for a display on servers.
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        Png.write(png, image);
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        AxisTicks xTicks = ticks(true);
        AxisTicks yTicks = ticks(false);
        Frame frame = new Frame(xTicks, yTicks);
        drawAxes(g, frame, xTicks, yTicks);
        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            g.setColor(PALETTE[s % PALETTE.length]);
            g.draw(path(series.get(s), frame));
        }
        drawLegend(g);
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 16f));
        drawCentred(g, title, LEFT + (WIDTH - LEFT - RIGHT) / 2, TOP - 15);
    }

    /** Maps data coordinates to pixels, with the axis ranges ending on the outer ticks. */
    private record Frame(AxisTicks x, AxisTicks y) {
        double px(double value) {
            return LEFT + (value - x.first()) / (x.last() - x.first()) * (WIDTH - LEFT - RIGHT);
        }

        double py(double value) {
            return HEIGHT - BOTTOM - (value - y.first()) / (y.last() - y.first()) * (HEIGHT - TOP - BOTTOM);
        }
    }

    /** Ticks covering the finite values of all series along one axis, with a unit range if there are none. */
    private AxisTicks ticks(boolean xAxis) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    double value = xAxis ? s.x()[i] : s.y()[i];
                    min = Math.min(min, value);
                    max = Math.max(max, value);
                }
            }
        }
        if (min > max) {
            return AxisTicks.covering(0, 1, TARGET_TICKS);
        }
        // A constant series still needs an axis of non-zero length around its value.
        double pad = min < max ? 0 : Math.max(1, Math.abs(min) * 0.1);
        return AxisTicks.covering(min - pad, max + pad, TARGET_TICKS);
    }

    private void drawAxes(Graphics2D g, Frame frame, AxisTicks xTicks, AxisTicks yTicks) {
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < xTicks.count(); i++) {
            int x = (int) Math.round(frame.px(xTicks.value(i)));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            drawCentred(g, xTicks.label(i), x, HEIGHT - BOTTOM + 18);
        }
        for (int i = 0; i < yTicks.count(); i++) {
            int y = (int) Math.round(frame.py(yTicks.value(i)));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            String label = yTicks.label(i);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + metrics.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        drawCentred(g, xLabel, LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        drawCentred(rotated, yLabel, -(TOP + (HEIGHT - TOP - BOTTOM) / 2), 18);
        rotated.dispose();
    }

    /** The series as a polyline, broken wherever a point is not finite. */
    private static Path2D path(Series s, Frame frame) {
        Path2D.Double path = new Path2D.Double();
        boolean penDown = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) {
                penDown = false;
                continue;
            }
            double px = frame.px(s.x()[i]);
            double py = frame.py(s.y()[i]);
            if (penDown) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                penDown = true;
            }
        }
        return path;
    }

    private void drawLegend(Graphics2D g) {
        if (series.isEmpty()) {
            return;
        }
        FontMetrics metrics = g.getFontMetrics();
        int lineHeight = metrics.getHeight();
        int textWidth = series.stream().mapToInt(s -> metrics.stringWidth(s.name())).max().orElse(0);
        int boxWidth = textWidth + 40;
        int left = WIDTH - RIGHT - boxWidth - 10;
        int top = TOP + 10;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(left, top, boxWidth, lineHeight * series.size() + 8);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, boxWidth, lineHeight * series.size() + 8);
        for (int s = 0; s < series.size(); s++) {
            int baseline = top + 4 + lineHeight * (s + 1) - metrics.getDescent();
            int middle = baseline - metrics.getAscent() / 2 + 1;
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(left + 6, middle, left + 28, middle);
            g.setColor(Color.BLACK);
            g.drawString(series.get(s).name(), left + 34, baseline);
        }
    }

    private static void drawCentred(Graphics2D g, String text, int centreX, int baseline) {
        g.drawString(text, centreX - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
