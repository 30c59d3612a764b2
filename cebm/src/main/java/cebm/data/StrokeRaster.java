package cebm.data;

import java.util.Arrays;

/**
 * A tiny anti-aliased rasteriser for thick line segments, enough to draw {@link SyntheticDigits} without AWT.
 *
 * <p>A pixel's ink is decided by the distance {@code d} from its centre to the nearest segment: fully inked
 * inside half the stroke width, blank beyond it plus one pixel, and linear in between. That one-pixel ramp is
 * what a box filter over the pixel would give for a straight edge, so strokes look smooth at 28×28. Where
 * strokes overlap, the darker value wins, so joints never get darker than the stroke itself.
 *
 * <p>Coordinates are continuous with pixel {@code (row, col)} covering {@code [col, col+1) × [row, row+1)}.
 * The raster is reused between images ({@link #clear}) to avoid allocating per image.
 */
final class StrokeRaster {
    private final int height;
    private final int width;
    /** Ink per pixel, 0 (background) to 1 (stroke), row-major. */
    private final float[] ink;

    StrokeRaster(int height, int width) {
        this.height = height;
        this.width = width;
        this.ink = new float[height * width];
    }

    void clear() {
        Arrays.fill(ink, 0f);
    }

    /** Draws the segment from {@code (x0, y0)} to {@code (x1, y1)} with the given stroke width. */
    void drawSegment(double x0, double y0, double x1, double y1, double strokeWidth) {
        double reach = strokeWidth / 2 + 1;
        // Only pixels within reach of the segment can get ink, so visit its padded bounding box, not the image.
        int colStart = Math.max(0, (int) Math.floor(Math.min(x0, x1) - reach));
        int colEnd = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + reach));
        int rowStart = Math.max(0, (int) Math.floor(Math.min(y0, y1) - reach));
        int rowEnd = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + reach));
        for (int row = rowStart; row <= rowEnd; row++) {
            for (int col = colStart; col <= colEnd; col++) {
                double distance = distanceToSegment(col + 0.5, row + 0.5, x0, y0, x1, y1);
                float coverage = (float) Math.min(1, Math.max(0, strokeWidth / 2 + 0.5 - distance));
                int index = row * width + col;
                ink[index] = Math.max(ink[index], coverage);
            }
        }
    }

    /** Writes the picture as pixels in [-1, 1] (background -1, full ink +1) into {@code target} from {@code offset}. */
    void copyTo(float[] target, int offset) {
        for (int i = 0; i < ink.length; i++) {
            target[offset + i] = 2 * ink[i] - 1;
        }
    }

    private static double distanceToSegment(double px, double py, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double lengthSquared = dx * dx + dy * dy;
        // Project the point onto the segment's line, then clamp to the segment's ends.
        double t = lengthSquared == 0 ? 0 : ((px - x0) * dx + (py - y0) * dy) / lengthSquared;
        t = Math.max(0, Math.min(1, t));
        double offsetX = px - (x0 + t * dx);
        double offsetY = py - (y0 + t * dy);
        return Math.sqrt(offsetX * offsetX + offsetY * offsetY);
    }
}
