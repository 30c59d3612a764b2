package cebm.data;

import java.util.SplittableRandom;

/**
 * The built-in data set: 28×28 grayscale images of the digits 0–9, drawn from a seed, with no download and
 * no files.
 *
 * <p>It exists so that the whole pipeline (training, sampling, evaluation) can run anywhere, in seconds, with
 * a data set small and regular enough that a model should visibly learn it. Each image is one digit from
 * {@link DigitGlyphs}, placed in a 12×18-pixel box centred in the image (like MNIST's centred 20×20 box) and
 * then distorted by a random affine map — rotation within ±15°, scale 0.85–1.15, horizontal shear within
 * ±0.25 (the slant of handwriting), translation within ±2 pixels in x and y — and drawn with a random stroke
 * width of 1.2–2.5 pixels by {@link StrokeRaster}. Background is -1, ink +1, as for the real data sets.
 *
 * <p>Labels cycle in order: image {@code i} shows digit {@code i % 10}, so the classes are balanced (exactly,
 * when the count is a multiple of ten). Training code shuffles anyway, so there is no need to shuffle here.
 *
 * <p>The same seed always gives the same pixels. The training and test sets draw from two different streams
 * split off one generator seeded with {@code seed}, so they never share an image.
 */
public final class SyntheticDigits {
    /** Width and height of every image, in pixels. */
    public static final int SIDE = 28;
    private static final int CLASSES = DigitGlyphs.COUNT;
    private static final double GLYPH_WIDTH = 12;
    private static final double GLYPH_HEIGHT = 18;
    private static final double MAX_ROTATION_DEGREES = 15;
    private static final double MIN_SCALE = 0.85;
    private static final double MAX_SCALE = 1.15;
    private static final double MAX_SHEAR = 0.25;
    private static final double MAX_SHIFT_PIXELS = 2;
    private static final double MIN_STROKE_WIDTH = 1.2;
    private static final double MAX_STROKE_WIDTH = 2.5;

    private SyntheticDigits() {
    }

    /** {@code count} training images generated from {@code seed}. */
    public static Dataset train(int count, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        return generate("synthetic-train", count, root.split());
    }

    /** {@code count} test images generated from {@code seed}; none of them equals a training image of that seed. */
    public static Dataset test(int count, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        root.split(); // the training stream: split it off first so that the test stream is the second one
        return generate("synthetic-test", count, root.split());
    }

    private static Dataset generate(String name, int count, SplittableRandom random) {
        if (count < 0) {
            throw new IllegalArgumentException(name + ": count must not be negative, got " + count);
        }
        int imageSize = SIDE * SIDE;
        float[] pixels = new float[count * imageSize];
        int[] labels = new int[count];
        StrokeRaster raster = new StrokeRaster(SIDE, SIDE);
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES;
            raster.clear();
            draw(labels[i], Placement.random(random), random.nextDouble(MIN_STROKE_WIDTH, MAX_STROKE_WIDTH), raster);
            raster.copyTo(pixels, i * imageSize);
        }
        return Dataset.wrap(name, 1, SIDE, SIDE, CLASSES, pixels, labels);
    }

    private static void draw(int digit, Placement placement, double strokeWidth, StrokeRaster raster) {
        for (double[] stroke : DigitGlyphs.strokes(digit)) {
            double previousX = placement.x(stroke[0], stroke[1]);
            double previousY = placement.y(stroke[0], stroke[1]);
            for (int p = 2; p < stroke.length; p += 2) {
                double x = placement.x(stroke[p], stroke[p + 1]);
                double y = placement.y(stroke[p], stroke[p + 1]);
                raster.drawSegment(previousX, previousY, x, y, strokeWidth);
                previousX = x;
                previousY = y;
            }
        }
    }

    /**
     * Where one glyph lands in the image: the affine map from unit-box coordinates to pixel coordinates,
     * {@code pixel = centre + A · (box - ½) · glyph size + shift}, with {@code A = rotation · scale · shear}.
     */
    private record Placement(double a, double b, double c, double d, double shiftX, double shiftY) {
        private static final double CENTRE = SIDE / 2.0;

        /** Draws rotation, scale, shear and shift, in that order, from {@code random}. */
        static Placement random(SplittableRandom random) {
            double angle = Math.toRadians(random.nextDouble(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES));
            double scale = random.nextDouble(MIN_SCALE, MAX_SCALE);
            double shear = random.nextDouble(-MAX_SHEAR, MAX_SHEAR);
            double shiftX = random.nextDouble(-MAX_SHIFT_PIXELS, MAX_SHIFT_PIXELS);
            double shiftY = random.nextDouble(-MAX_SHIFT_PIXELS, MAX_SHIFT_PIXELS);
            double cos = Math.cos(angle) * scale;
            double sin = Math.sin(angle) * scale;
            // rotation·scale = [cos -sin; sin cos], times shear [1 shear; 0 1]
            return new Placement(cos, cos * shear - sin, sin, sin * shear + cos, shiftX, shiftY);
        }

        double x(double boxX, double boxY) {
            return CENTRE + a * ((boxX - 0.5) * GLYPH_WIDTH) + b * ((boxY - 0.5) * GLYPH_HEIGHT) + shiftX;
        }

        double y(double boxX, double boxY) {
            return CENTRE + c * ((boxX - 0.5) * GLYPH_WIDTH) + d * ((boxY - 0.5) * GLYPH_HEIGHT) + shiftY;
        }
    }
}
