package cebm.eval;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Few-label classification (spec §3, paper Table 2): a multinomial logistic regression on the latent
 * representations of 1, 10 and 100 labelled training images per class (10 random draws each) and of the
 * whole labelled pool (once); the score is the accuracy on the test set, mean ± standard deviation over the
 * draws.
 *
 * <p>The classifier is Tribuo's {@link LinearSGDTrainer} with the {@link LogMulticlass} objective: a softmax
 * (multinomial) logistic regression fitted by AdaGrad (learning rate 1, ε 0.1, minibatches of one, shuffled
 * by a seeded generator). It has no explicit regulariser; the fixed number of updates is the implicit one.
 * The number of epochs grows as the labelled set shrinks, {@code clamp(⌈3000 / n⌉, 5, 1000)}, so that even
 * ten examples get 3000 updates (300 passes). Features are centred on the mean of the whole labelled pool and divided by
 * one common scale (labels are not needed for that, so using the whole pool is fair in the few-label
 * setting); training and test points get the same transformation (see {@link Standardiser}).
 *
 * <p>Draws: for each setting and draw, {@code perClass} images of each class are picked without
 * replacement from the pool by a generator seeded from the evaluation's seed, so the same seed gives the
 * same draws. A setting that needs more images of a class than the pool has is skipped and says so.
 */
public final class FewLabelClassification {
    /** Labelled images per class of the few-label settings. */
    public static final int[] LABELS_PER_CLASS = {1, 10, 100};
    /** Random draws of each few-label setting. */
    public static final int DRAWS = 10;
    private static final int MIN_UPDATES = 3_000;
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        // Tribuo logs every training at INFO ("Training SGD model with N examples"); the progress bar says enough.
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

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
     * Runs every setting: 1, 10, 100 labels per class ({@link #DRAWS} draws each) and the full pool.
     *
     * @param pool      latents of the labelled pool (training images), one row each
     * @param poolY     their classes, {@code 0..classes-1}
     * @param test      latents of the test images
     * @param testY     their classes
     * @param steps     advanced by one per classifier fitted ({@link #fits} in all)
     */
    public static List<Setting> run(float[][] pool, int[] poolY, float[][] test, int[] testY, int classes, long seed,
            Steps steps) {
        Standardiser standardiser = Standardiser.fit(pool);
        double[][] x = standardiser.apply(pool);
        double[][] xt = standardiser.apply(test);
        int[] counts = new int[classes];
        for (int y : poolY) counts[y]++;
        SplittableRandom random = new SplittableRandom(seed);
        List<Setting> out = new ArrayList<>();
        for (int perClass : LABELS_PER_CLASS) {
            int smallest = Arrays.stream(counts).min().orElse(0);
            if (smallest < perClass) {
                out.add(new Setting(Integer.toString(perClass), perClass, new double[0], Double.NaN, Double.NaN,
                        "the labelled pool has only " + smallest + " images of its rarest class"));
                for (int d = 0; d < DRAWS; d++) steps.advance("logistic regression");
                continue;
            }
            double[] acc = new double[DRAWS];
            for (int d = 0; d < DRAWS; d++) {
                int[] rows = drawPerClass(poolY, classes, perClass, random);
                acc[d] = fitAndScore(select(x, rows), select(poolY, rows), xt, testY, random.nextLong());
                steps.advance("logistic regression, " + perClass + " per class");
            }
            out.add(new Setting(Integer.toString(perClass), perClass, acc, mean(acc), std(acc), null));
        }
        double full = fitAndScore(x, poolY, xt, testY, random.nextLong());
        steps.advance("logistic regression, full pool");
        out.add(new Setting("full", -1, new double[] {full}, full, 0, null));
        return out;
    }

    /** How many classifiers {@link #run} fits. */
    public static int fits() {
        return LABELS_PER_CLASS.length * DRAWS + 1;
    }

    /**
     * Fits a multinomial logistic regression on ({@code x}, {@code y}) and returns its accuracy on
     * ({@code testX}, {@code testY}). Deterministic for a given seed.
     */
    public static double fitAndScore(double[][] x, int[] y, double[][] testX, int[] testY, long seed) {
        if (x.length == 0) throw new IllegalArgumentException("logistic regression: no training examples");
        int dim = x[0].length;
        String[] names = featureNames(dim);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("latents", factory), factory);
        for (int i = 0; i < x.length; i++) train.add(new ArrayExample<>(new Label(Integer.toString(y[i])), names, x[i]));
        int epochs = (int) Math.max(5, Math.min(1000, Math.ceil(MIN_UPDATES / (double) x.length)));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, -1, 1, seed);
        Model<Label> model = trainer.train(train);
        List<Example<Label>> examples = new ArrayList<>(testX.length);
        for (int i = 0; i < testX.length; i++) examples.add(new ArrayExample<>(new Label(Integer.toString(testY[i])), names, testX[i]));
        List<Prediction<Label>> predictions = model.predict(examples);
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            if (predictions.get(i).getOutput().getLabel().equals(Integer.toString(testY[i]))) correct++;
        }
        return correct / (double) testX.length;
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

    /** Zero-padded names, so that Tribuo's alphabetical feature order is the index order. */
    private static String[] featureNames(int dim) {
        String[] names = new String[dim];
        int width = Integer.toString(dim - 1).length();
        for (int j = 0; j < dim; j++) names[j] = "z" + "0".repeat(width - Integer.toString(j).length()) + j;
        return names;
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

    /**
     * Centring with the pool's mean and one common scale (the root mean square distance from it), z ↦ (z − mean)
     * / scale: the optimiser sees numbers of order one, while the relative scales of the features are kept. (A
     * per-feature standardisation would blow up near-constant, collapsed latent dimensions into unit-variance
     * noise, which hurts the few-label settings.)
     */
    record Standardiser(double[] mean, double scale) {
        static Standardiser fit(float[][] x) {
            int dim = x.length == 0 ? 0 : x[0].length;
            double[] mean = new double[dim];
            for (float[] row : x) for (int j = 0; j < dim; j++) mean[j] += row[j];
            for (int j = 0; j < dim; j++) mean[j] /= x.length;
            double ss = 0;
            for (float[] row : x) for (int j = 0; j < dim; j++) ss += (row[j] - mean[j]) * (row[j] - mean[j]);
            double rms = Math.sqrt(ss / Math.max(1, x.length) / Math.max(1, dim));
            return new Standardiser(mean, rms > 1e-12 && Double.isFinite(rms) ? rms : 1);
        }

        double[][] apply(float[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double[] row = new double[mean.length];
                for (int j = 0; j < row.length; j++) row[j] = (x[i][j] - mean[j]) / scale;
                out[i] = row;
            }
            return out;
        }
    }
}
