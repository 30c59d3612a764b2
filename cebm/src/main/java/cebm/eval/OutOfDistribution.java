package cebm.eval;

import org.tribuo.classification.evaluation.LabelEvaluationUtil;

/**
 * Out-of-distribution detection (spec §3, paper Table 1): how well a score separates the in-distribution
 * test images from images of another kind, as the area under the ROC curve.
 *
 * <p><b>Sign convention.</b> The positive class is the in-distribution test set, the negative class the
 * out-of-distribution set, and a higher score means "more in-distribution". The two scores are
 * <ul>
 *   <li>{@code log p(x) = −E(x)} (up to the constant log Z, which cancels in a ranking), and</li>
 *   <li>{@code −‖∇x log p(x)‖ = −‖∂E/∂x‖}, the negated L2 norm of the score function over all pixels (the
 *       "approximate mass" score of Grathwohl et al., ICLR 2020: data sits near modes, where the gradient is
 *       small).</li>
 * </ul>
 * So AUROC 1 means every in-distribution image scores above every OOD image, 0.5 is chance, and 0 means the
 * score ranks them exactly the wrong way round (the same score with the opposite sign would have AUROC 1).
 * Ties count one half (the Mann–Whitney statistic). The paper does not state its convention in the spec;
 * an AUROC a of one convention is 1 − a in the other.
 *
 * <p>The AUROC itself is Tribuo's {@link LabelEvaluationUtil#binaryAUCROC}. NaN scores (a diverged model)
 * are ranked lowest, i.e. as the least in-distribution; infinite ones keep their order.
 */
public final class OutOfDistribution {
    private OutOfDistribution() {}

    /** The two scores of a set of images: log p(x) and ‖∇x log p(x)‖ (the norm itself, not negated). */
    public record Scores(double[] logDensity, double[] gradientNorm) {
        public Scores {
            if (logDensity.length != gradientNorm.length) throw new IllegalArgumentException("scores of different lengths");
        }

        public int size() {
            return logDensity.length;
        }
    }

    /**
     * One in-distribution / out-of-distribution pair.
     *
     * @param outOfDistribution the OOD set's name (MNIST, Constant, Uniform noise, ...)
     * @param aurocLogDensity   AUROC of log p(x)
     * @param aurocGradientNorm AUROC of −‖∇x log p(x)‖
     * @param meanLogDensityIn  mean log p(x) (i.e. −E) over the in-distribution images, for orientation
     * @param meanLogDensityOut the same over the OOD images
     */
    public record Pair(String outOfDistribution, int inCount, int outCount, double aurocLogDensity, double aurocGradientNorm,
            double meanLogDensityIn, double meanLogDensityOut, double meanGradientNormIn, double meanGradientNormOut) {}

    public static Pair evaluate(String outName, Scores in, Scores out) {
        return new Pair(outName, in.size(), out.size(),
                auroc(in.logDensity(), out.logDensity()),
                auroc(negate(in.gradientNorm()), negate(out.gradientNorm())),
                mean(in.logDensity()), mean(out.logDensity()), mean(in.gradientNorm()), mean(out.gradientNorm()));
    }

    /**
     * The probability that a random positive scores above a random negative, ties counting one half.
     *
     * @param positives scores of the positive (in-distribution) class, at least one
     * @param negatives scores of the negative (out-of-distribution) class, at least one
     */
    public static double auroc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs both classes: " + positives.length + " positives, " + negatives.length + " negatives");
        }
        boolean[] label = new boolean[positives.length + negatives.length];
        double[] score = new double[label.length];
        for (int i = 0; i < positives.length; i++) {
            label[i] = true;
            score[i] = finite(positives[i]);
        }
        for (int i = 0; i < negatives.length; i++) score[positives.length + i] = finite(negatives[i]);
        return LabelEvaluationUtil.binaryAUCROC(label, score);
    }

    /** NaN ranks lowest (least in-distribution); ±∞ become the extreme finite values, keeping their order. */
    private static double finite(double v) {
        if (Double.isNaN(v) || v == Double.NEGATIVE_INFINITY) return -Double.MAX_VALUE;
        return v == Double.POSITIVE_INFINITY ? Double.MAX_VALUE : v;
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = -v[i];
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
