package cebm.eval;

import java.util.List;

/**
 * A linear classifier of the few-label evaluation ({@link FewLabelClassification}): fitted on the
 * features of a few labelled images, scored by its accuracy on the test images.
 */
public interface Classifier {
    /** The names {@link #named} takes, the authors' protocol first (the default). */
    List<String> NAMES = List.of(LiblinearLogistic.NAME, SgdLogistic.NAME);

    /** What the report says the classifier is. */
    String description();

    /**
     * The features the classifier sees, from the latents of the whole labelled pool and of the test
     * set. A transformation may be fitted on the whole pool: it uses no labels, so the few-label
     * settings stay fair.
     */
    Features features(float[][] pool, float[][] test);

    /** Fits on ({@code x}, {@code y}) and returns the accuracy on ({@code testX}, {@code testY}); deterministic for a seed. */
    double fitAndScore(double[][] x, int[] y, double[][] testX, int[] testY, long seed);

    /** The pool's and the test set's features, row for row. */
    record Features(double[][] pool, double[][] test) {}

    static Classifier named(String name) {
        return switch (name) {
            case LiblinearLogistic.NAME -> new LiblinearLogistic();
            case SgdLogistic.NAME -> new SgdLogistic();
            default -> throw new IllegalArgumentException("--classifier must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
        };
    }

    /** The latents as they are, in double precision. */
    static double[][] raw(float[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) out[i][j] = x[i][j];
        }
        return out;
    }
}
