package cebm.toy;

import cebm.data.Dataset;

import java.util.SplittableRandom;

/**
 * The 2-D data sets of the playground, each a few well-separated shapes inside the square
 * [−1, 1]² (the square the replay buffer's chains start in). A point is stored as a 2-channel
 * 1×1 "image" {@code [2, 1, 1]}, so that the trainer, the sampler and the encoder handle it exactly
 * as they handle pictures; the label says which shape (mode, ring, moon) the point came from.
 *
 * <ul>
 *   <li>eight-gaussians: x ~ N(c_k, 0.06² I), c_k = 0.75·(cos 2πk/8, sin 2πk/8), k uniform in 0..7;</li>
 *   <li>two-rings: radius 0.35 or 0.8 (label 0 or 1) plus N(0, 0.04²), at a uniform angle;</li>
 *   <li>two-moons: the half circles (cos t, sin t) and (1 − cos t, ½ − sin t), t uniform in [0, π],
 *       centred, scaled by 0.6 and blurred by N(0, 0.04² I).</li>
 * </ul>
 * The same seed always gives the same points.
 */
public enum ToyData {
    EIGHT_GAUSSIANS("eight-gaussians", 8),
    TWO_RINGS("two-rings", 2),
    TWO_MOONS("two-moons", 2);

    private final String flag;
    private final int classes;

    ToyData(String flag, int classes) {
        this.flag = flag;
        this.classes = classes;
    }

    /** The name the command line uses. */
    public String flag() {
        return flag;
    }

    public static ToyData named(String flag) {
        for (ToyData d : values()) if (d.flag.equals(flag)) return d;
        throw new IllegalArgumentException("unknown data set '" + flag + "'; choose eight-gaussians, two-rings or two-moons");
    }

    /** {@code count} points {@code [count, 2, 1, 1]} with their labels, drawn from {@code seed}. */
    public Dataset generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] points = new float[2 * count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(classes);
            double[] p = point(labels[i], random);
            points[2 * i] = (float) p[0];
            points[2 * i + 1] = (float) p[1];
        }
        return Dataset.of(flag, 2, 1, 1, classes, points, labels);
    }

    private double[] point(int label, SplittableRandom random) {
        return switch (this) {
            case EIGHT_GAUSSIANS -> {
                double angle = 2 * Math.PI * label / 8;
                yield new double[] {0.75 * Math.cos(angle) + 0.06 * random.nextGaussian(), 0.75 * Math.sin(angle) + 0.06 * random.nextGaussian()};
            }
            case TWO_RINGS -> {
                double angle = random.nextDouble(2 * Math.PI);
                double radius = (label == 0 ? 0.35 : 0.8) + 0.04 * random.nextGaussian();
                yield new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
            }
            case TWO_MOONS -> {
                double t = random.nextDouble(Math.PI);
                double x = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
                double y = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
                // The moons span x ∈ [−1, 2], y ∈ [−½, 1]: centre them on (½, ¼) and scale into the square.
                yield new double[] {0.6 * (x - 0.5) + 0.04 * random.nextGaussian(), 0.6 * (y - 0.25) + 0.04 * random.nextGaussian()};
            }
        };
    }
}
