package cebm.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * A white picture of square panels side by side, each under its own caption. A {@link Panel} draws
 * what the playground needs (a raster of colours, dots, polylines, circles) in the coordinates of
 * its {@link Viewport}.
 */
final class Canvas {
    private static final int MARGIN = 8;
    private static final int CAPTION = 22;

    private final BufferedImage image;
    private final int size;

    /** One panel of {@code size × size} pixels per caption. */
    Canvas(int size, String... captions) {
        // Only takes effect before AWT's first use; it stops AWT from looking for a display on servers.
        System.setProperty("java.awt.headless", "true");
        this.size = size;
        image = new BufferedImage(captions.length * (size + MARGIN) + MARGIN, CAPTION + size + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        for (int i = 0; i < captions.length; i++) g.drawString(captions[i], left(i), CAPTION - 7);
        g.setColor(Color.GRAY);
        for (int i = 0; i < captions.length; i++) g.drawRect(left(i) - 1, CAPTION - 1, size + 1, size + 1);
        g.dispose();
    }

    /** Panel {@code index}, showing the part of the plane {@code view} covers ({@code view.size()} must be the canvas's). */
    Panel panel(int index, Viewport view) {
        if (view.size() != size) throw new IllegalArgumentException("viewport of " + view.size() + " pixels on panels of " + size);
        return new Panel(left(index), view);
    }

    BufferedImage image() {
        return image;
    }

    private int left(int panel) {
        return MARGIN + panel * (size + MARGIN);
    }

    private Graphics2D graphics(int x, int y, int width, int height) {
        Graphics2D g = image.createGraphics();
        g.translate(x, y);
        g.clipRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** One panel: draws in plane coordinates, clipped to the panel. */
    final class Panel {
        private final int left;
        private final Viewport view;

        private Panel(int left, Viewport view) {
            this.left = left;
            this.view = view;
        }

        /** One colour (0xRRGGBB) per pixel, row by row from the top. */
        void raster(int[] rgb) {
            image.setRGB(left, CAPTION, size, size, rgb, 0, size);
        }

        /** A dot of the given radius in pixels at each point (x0, y0, x1, y1, …), outlined unless {@code outline} is null. */
        void dots(float[] xy, double radius, Color fill, Color outline) {
            Graphics2D g = graphics();
            for (int i = 0; i + 1 < xy.length; i += 2) {
                Ellipse2D dot = new Ellipse2D.Double(view.px(xy[i]) - radius, view.py(xy[i + 1]) - radius, 2 * radius, 2 * radius);
                g.setColor(fill);
                g.fill(dot);
                if (outline != null) {
                    g.setColor(outline);
                    g.draw(dot);
                }
            }
            g.dispose();
        }

        /** A polyline through the points (x0, y0, x1, y1, …). */
        void line(float[] xy, Color colour, float width) {
            Path2D.Double path = new Path2D.Double();
            path.moveTo(view.px(xy[0]), view.py(xy[1]));
            for (int i = 2; i + 1 < xy.length; i += 2) path.lineTo(view.px(xy[i]), view.py(xy[i + 1]));
            Graphics2D g = graphics();
            g.setColor(colour);
            g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(path);
            g.dispose();
        }

        /** A dashed circle of radius r (in the plane's units) around the origin. */
        void circle(double r, Color colour) {
            Graphics2D g = graphics();
            g.setColor(colour);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            g.draw(new Ellipse2D.Double(view.px(-r), view.py(r), view.px(r) - view.px(-r), view.py(-r) - view.py(r)));
            g.dispose();
        }

        private Graphics2D graphics() {
            return Canvas.this.graphics(left, CAPTION, size, size);
        }
    }
}
