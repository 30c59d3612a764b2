package cebm.data;

/**
 * The shapes of the digits 0–9 as pen strokes, for {@link SyntheticDigits}.
 *
 * <p>Each digit is a few strokes; each stroke is a polyline given as interleaved {@code x, y} coordinates in
 * a unit box (x to the right, y downwards, both 0..1). Curves are written as elliptical arcs and flattened
 * into polylines once, here, so the renderer only ever draws straight segments. Arc angles are in degrees,
 * measured with y pointing down: 0° is the right-most point of the ellipse, 90° the bottom, 270° the top;
 * an arc runs from its first angle to its second, in either direction.
 */
final class DigitGlyphs {
    /** Segments per full turn of an arc: enough that a 20-pixel loop looks round. */
    private static final int SEGMENTS_PER_TURN = 32;

    private static final double[][][] STROKES = {
        /* 0 */ {arc(0.5, 0.5, 0.5, 0.5, 0, 360)},
        /* 1 */ {line(0.3, 0.2, 0.58, 0.0, 0.58, 1.0)},
        /* 2 */ {arc(0.5, 0.28, 0.45, 0.28, 160, 380), line(0.92, 0.38, 0.0, 1.0, 1.0, 1.0)},
        /* 3 */ {arc(0.5, 0.26, 0.42, 0.25, 200, 450), arc(0.5, 0.75, 0.48, 0.25, 270, 520)},
        /* 4 */ {line(0.72, 1.0, 0.72, 0.0, 0.0, 0.68, 1.0, 0.68)},
        /* 5 */ {line(0.9, 0.0, 0.22, 0.0, 0.14, 0.5), arc(0.5, 0.69, 0.45, 0.31, 215, 520)},
        /* 6 */ {arc(0.95, 0.7, 0.85, 0.7, 250, 180), arc(0.5, 0.7, 0.4, 0.3, 0, 360)},
        /* 7 */ {line(0.0, 0.0, 1.0, 0.0, 0.35, 1.0)},
        /* 8 */ {arc(0.5, 0.25, 0.36, 0.25, 0, 360), arc(0.5, 0.74, 0.44, 0.26, 0, 360)},
        /* 9 */ {arc(0.5, 0.3, 0.4, 0.3, 0, 360), arc(0.05, 0.3, 0.85, 0.7, 0, 70)},
    };

    /** The number of glyphs: one per digit. */
    static final int COUNT = STROKES.length;

    private DigitGlyphs() {
    }

    /** The strokes of {@code digit}, each an {@code x0, y0, x1, y1, ...} polyline in the unit box. Read-only. */
    static double[][] strokes(int digit) {
        return STROKES[digit];
    }

    private static double[] line(double... xy) {
        return xy;
    }

    private static double[] arc(double centreX, double centreY, double radiusX, double radiusY, double fromDegrees, double toDegrees) {
        int segments = Math.max(1, (int) Math.ceil(Math.abs(toDegrees - fromDegrees) / 360 * SEGMENTS_PER_TURN));
        double[] xy = new double[2 * (segments + 1)];
        for (int i = 0; i <= segments; i++) {
            double angle = Math.toRadians(fromDegrees + (toDegrees - fromDegrees) * i / segments);
            xy[2 * i] = centreX + radiusX * Math.cos(angle);
            xy[2 * i + 1] = centreY + radiusY * Math.sin(angle);
        }
        return xy;
    }
}
