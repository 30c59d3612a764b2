package cebm.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Few-label classification (spec §3, paper Table 2): a linear classifier ({@link Classifier}; by
 * default the authors' {@link LiblinearLogistic}) on the latent representations of 1, 10 and 100
 * labelled training images per class and of the whole labelled pool (once); the score is the
 * accuracy on the test set, mean ± standard deviation over the draws. One label per class spreads by
 * several points from draw to draw, so it gets {@value #DRAWS_OF_ONE} draws; 10 and 100 get {@value #DRAWS}.
 *
 * <p>Draws: for each setting and draw, {@code perClass} images of each class are picked without
 * replacement from the pool by a generator seeded from the evaluation's seed, so the same seed gives the
 * same draws. A setting that needs more images of a class than the pool has is skipped and says so.
 */
public final class FewLabelClassification {
    /** Labelled images per class of the few-label settings. */
    public static final int[] LABELS_PER_CLASS = {1, 10, 100};
    /** Random draws of the 10- and 100-label settings. */
    public static final int DRAWS = 10;
    /** Random draws of the 1-label setting. */
    public static final int DRAWS_OF_ONE = 30;

    private FewLabelClassification() {}

    /**
     * One setting's outcome.
     *
     * @param setting    "1", "10", "100" or "full"
     * @param perClass   labelled images per class, or -1 for the full pool
     * @param accuracies test accuracy (in [0, 1]) of each draw, in order; empty if skipped
     * @param mean       mean accuracy over the draws (NaN if skipped)
     * @param std        sample standard deviation over the draws (0 for one draw, NaN if skipped)
     * @param skipped    why the setting was skipped, or null
     */
    public record Setting(String setting, int perClass, double[] accuracies, double mean, double std, String skipped) {}

    /**
     * Runs every setting: 1, 10, 100 labels per class ({@link #draws} draws each) and the full pool.
     *
     * @param pool      latents of the labelled pool (training images), one row each
     * @param poolY     their classes, {@code 0..classes-1}
     * @param test      latents of the test images
     * @param testY     their classes
     * @param steps     advanced by one per classifier fitted ({@link #fits} in all)
     */
    public static List<Setting> run(Classifier classifier, float[][] pool, int[] poolY, float[][] test, int[] testY, int classes,
            long seed, Steps steps) {
        Classifier.Features features = classifier.features(pool, test);
        double[][] x = features.pool(), xt = features.test();
        int[] counts = new int[classes];
        for (int y : poolY) counts[y]++;
        SplittableRandom random = new SplittableRandom(seed);
        List<Setting> out = new ArrayList<>();
        for (int perClass : LABELS_PER_CLASS) {
            int smallest = Arrays.stream(counts).min().orElse(0);
            if (smallest < perClass) {
                out.add(new Setting(Integer.toString(perClass), perClass, new double[0], Double.NaN, Double.NaN,
                        "the labelled pool has only " + smallest + " images of its rarest class"));
                for (int d = 0; d < draws(perClass); d++) steps.advance("logistic regression");
                continue;
            }
            double[] acc = new double[draws(perClass)];
            for (int d = 0; d < acc.length; d++) {
                int[] rows = drawPerClass(poolY, classes, perClass, random);
                acc[d] = classifier.fitAndScore(select(x, rows), select(poolY, rows), xt, testY, random.nextLong());
                steps.advance("logistic regression, " + perClass + " per class");
            }
            out.add(new Setting(Integer.toString(perClass), perClass, acc, mean(acc), std(acc), null));
        }
        double full = classifier.fitAndScore(x, poolY, xt, testY, random.nextLong());
        steps.advance("logistic regression, full pool");
        out.add(new Setting("full", -1, new double[] {full}, full, 0, null));
        return out;
    }

    /** Random draws of a setting with {@code perClass} labels per class. */
    public static int draws(int perClass) {
        return perClass == 1 ? DRAWS_OF_ONE : DRAWS;
    }

    /** How many classifiers {@link #run} fits. */
    public static int fits() {
        return Arrays.stream(LABELS_PER_CLASS).map(FewLabelClassification::draws).sum() + 1;
    }

    /** {@code perClass} distinct rows of each class, drawn without replacement; classes in order, rows sorted within. */
    static int[] drawPerClass(int[] labels, int classes, int perClass, SplittableRandom random) {
        int[] out = new int[classes * perClass];
        int filled = 0;
        for (int c = 0; c < classes; c++) {
            int count = 0;
            for (int y : labels) if (y == c) count++;
            int[] rows = new int[count];
            int k = 0;
            for (int i = 0; i < labels.length; i++) if (labels[i] == c) rows[k++] = i;
            // A partial Fisher–Yates shuffle: the first perClass entries become a uniform sample.
            for (int i = 0; i < perClass; i++) {
                int j = i + random.nextInt(count - i);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            int[] picked = Arrays.copyOf(rows, perClass);
            Arrays.sort(picked);
            System.arraycopy(picked, 0, out, filled, perClass);
            filled += perClass;
        }
        return out;
    }

    private static double[][] select(double[][] x, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = x[rows[i]];
        return out;
    }

    private static int[] select(int[] y, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) out[i] = y[rows[i]];
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
    static double std(double[] v) {
        if (v.length < 2) return 0;
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / (v.length - 1));
    }
}
