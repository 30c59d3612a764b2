package cebm.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A matrix of values in [0, 1] drawn as a grid of coloured cells, each with its value printed in it — the
 * usual picture of a row-normalised confusion matrix. White is 0, dark blue is 1; values outside [0, 1] are
 * clamped for the colour (the printed number is the real one), NaN cells are grey.
 *
 * <p>Hand-written with Java2D, like {@link LinePlot}: XChart 3.8.8's heat map labels its colour bar at its
 * ends only, does not keep the cells square, and has one text colour for light and dark cells alike.
 *
 * <pre>{@code
 * new HeatMap("Nearest-neighbour agreement", "true class", "neighbour's class", classNames)
 *         .write(Path.of("report/nn-latent.png"), confusion);
 * }</pre>
 */
public final class HeatMap {
    private static final int CELL = 48;
    private static final int LEFT = 90;
    private static final int TOP = 60;
    private static final int RIGHT = 90;
    private static final int BOTTOM = 70;
    private static final Color LOW = Color.WHITE;
    private static final Color HIGH = new Color(0x08306b);

    private final String title;
    private final String rowLabel;
    private final String columnLabel;
    private final List<String> names;

    /**
     * @param rowLabel    what the rows are (drawn on the left, rows top to bottom)
     * @param columnLabel what the columns are (drawn below, columns left to right)
     * @param names       the name of each row and column, in order
     */
    public HeatMap(String title, String rowLabel, String columnLabel, List<String> names) {
        this.title = title;
        this.rowLabel = rowLabel;
        this.columnLabel = columnLabel;
        this.names = List.copyOf(names);
    }

    /** Draws the square matrix {@code values} (as many rows and columns as names) to {@code png}, atomically. */
    public void write(Path png, double[][] values) throws IOException {
        int n = names.size();
        if (values.length != n) throw new IllegalArgumentException("HeatMap: " + values.length + " rows for " + n + " names");
        for (double[] row : values) {
            if (row.length != n) throw new IllegalArgumentException("HeatMap: a row of " + row.length + " values for " + n + " names");
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(LEFT + n * CELL + RIGHT, TOP + n * CELL + BOTTOM, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, values, image.getWidth(), image.getHeight());
        } finally {
            g.dispose();
        }
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available in this Java runtime");
        });
    }

    /** The colour of a value: a straight line from white (0) to dark blue (1) in RGB; grey for NaN. */
    static Color colour(double value) {
        if (Double.isNaN(value)) return Color.LIGHT_GRAY;
        double t = Math.max(0, Math.min(1, value));
        return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t), mix(LOW.getBlue(), HIGH.getBlue(), t));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    private void draw(Graphics2D g, double[][] values, int width, int height) {
        int n = names.size();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(plain);
        FontMetrics metrics = g.getFontMetrics();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double v = values[r][c];
                Color fill = colour(v);
                g.setColor(fill);
                g.fillRect(LEFT + c * CELL, TOP + r * CELL, CELL, CELL);
                boolean dark = (fill.getRed() * 299 + fill.getGreen() * 587 + fill.getBlue() * 114) / 1000 < 128;
                g.setColor(dark ? Color.WHITE : Color.BLACK);
                String text = Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
                drawCentred(g, text, LEFT + c * CELL + CELL / 2, TOP + r * CELL + CELL / 2 + metrics.getAscent() / 2 - 1);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(LEFT, TOP, n * CELL, n * CELL);
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            g.drawString(name, LEFT - 8 - metrics.stringWidth(name), TOP + i * CELL + CELL / 2 + metrics.getAscent() / 2 - 1);
            drawCentred(g, name, LEFT + i * CELL + CELL / 2, TOP + n * CELL + 18);
        }
        g.setColor(Color.BLACK);
        drawCentred(g, columnLabel, LEFT + n * CELL / 2, TOP + n * CELL + 45);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        drawCentred(rotated, rowLabel, -(TOP + n * CELL / 2), 30);
        rotated.dispose();
        drawColourBar(g, LEFT + n * CELL + 30, TOP, n * CELL);
        g.setFont(plain.deriveFont(Font.BOLD, 15f));
        drawCentred(g, title, width / 2, TOP - 22);
    }

    private static void drawColourBar(Graphics2D g, int left, int top, int length) {
        int barWidth = 16;
        for (int y = 0; y < length; y++) {
            g.setColor(colour(1 - y / (double) (length - 1)));
            g.fillRect(left, top + y, barWidth, 1);
        }
        g.setColor(Color.GRAY);
        g.drawRect(left, top, barWidth, length);
        g.setColor(Color.DARK_GRAY);
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double v = 1 - i / 4.0;
            int y = top + (int) Math.round(i / 4.0 * length);
            g.drawLine(left + barWidth, y, left + barWidth + 4, y);
            g.drawString(String.format(Locale.ROOT, "%.2f", v), left + barWidth + 7, y + metrics.getAscent() / 2 - 1);
        }
    }

    private static void drawCentred(Graphics2D g, String text, int centreX, int baseline) {
        g.drawString(text, centreX - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
