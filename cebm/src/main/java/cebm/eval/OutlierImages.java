package cebm.eval;

import cebm.data.Dataset;

import java.util.SplittableRandom;

/**
 * The synthetic out-of-distribution sets (spec §3): images of one constant intensity, and uniform noise.
 * Pixels are in [-1, 1] like every data set of the project; the label of every image is 0 (unused).
 */
public final class OutlierImages {
    private OutlierImages() {}

    /** "Constant": each image a single intensity drawn uniformly from [-1, 1], independently per channel for RGB. */
    public static Dataset constant(int count, int channels, int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plane = height * width;
        float[] pixels = new float[count * channels * plane];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                float v = (float) random.nextDouble(-1, 1);
                java.util.Arrays.fill(pixels, (i * channels + c) * plane, (i * channels + c + 1) * plane, v);
            }
        }
        return Dataset.of("constant", channels, height, width, 1, pixels, new int[count]);
    }

    /** "Uniform noise": every pixel drawn independently and uniformly from [-1, 1]. */
    public static Dataset uniformNoise(int count, int channels, int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * channels * height * width];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (float) random.nextDouble(-1, 1);
        return Dataset.of("uniform-noise", channels, height, width, 1, pixels, new int[count]);
    }
}
