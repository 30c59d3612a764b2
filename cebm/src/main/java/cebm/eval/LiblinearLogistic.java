package cebm.eval;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;

/**
 * The authors' few-label classifier (cebm/eval.py of their code): scikit-learn's
 * {@code LogisticRegression(solver='liblinear')} with its defaults, on the raw latent means. That is
 * LIBLINEAR's L2-regularised logistic regression (solver L2R_LR, a trust-region Newton method) with
 * C = 1, tolerance 1e-4 and at most 100 iterations, one-vs-rest over the classes (the predicted class
 * is the one with the largest decision value), and an intercept fitted as the weight of an extra
 * feature of constant value 1, which the L2 penalty includes, as scikit-learn's intercept_scaling = 1
 * does. The objective of each one-vs-rest problem, with labels t ∈ {−1, +1}:
 * min_w ½‖w‖² + C Σ_i log(1 + exp(−t_i wᵀx_i)).
 *
 * <p>The solver is deterministic, so the seed is unused; the label draws carry the randomness.
 */
final class LiblinearLogistic implements Classifier {
    static final String NAME = "liblinear";
    private static final double C = 1, TOLERANCE = 1e-4, INTERCEPT_FEATURE = 1;
    private static final int MAX_ITERATIONS = 100;

    static {
        Linear.disableDebugOutput();  // it prints every iteration to standard output
    }

    @Override
    public String description() {
        return "the authors' protocol: L2-regularised logistic regression, one-vs-rest, C = 1, LIBLINEAR (as scikit-learn's "
                + "LogisticRegression(solver='liblinear')), on the raw latent means";
    }

    @Override
    public Features features(float[][] pool, float[][] test) {
        return new Features(Classifier.raw(pool), Classifier.raw(test));
    }

    @Override
    public double fitAndScore(double[][] x, int[] y, double[][] testX, int[] testY, long seed) {
        Model model = train(x, y);
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            if ((int) Linear.predict(model, features(testX[i])) == testY[i]) correct++;
        }
        return correct / (double) testX.length;
    }

    /** The one-vs-rest models of ({@code x}, {@code y}). */
    static Model train(double[][] x, int[] y) {
        if (x.length == 0) throw new IllegalArgumentException("logistic regression: no training examples");
        Problem problem = new Problem();
        problem.l = x.length;
        problem.n = x[0].length + 1;
        problem.bias = INTERCEPT_FEATURE;
        problem.x = new Feature[x.length][];
        problem.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            problem.x[i] = features(x[i]);
            problem.y[i] = y[i];
        }
        return Linear.train(problem, new Parameter(SolverType.L2R_LR, C, MAX_ITERATIONS, TOLERANCE));
    }

    /** A row as LIBLINEAR's sparse features (indices from 1; zeros left out), the intercept's feature last. */
    static Feature[] features(double[] row) {
        int nonZero = 0;
        for (double v : row) if (v != 0) nonZero++;
        Feature[] out = new Feature[nonZero + 1];
        int k = 0;
        for (int j = 0; j < row.length; j++) if (row[j] != 0) out[k++] = new FeatureNode(j + 1, row[j]);
        out[k] = new FeatureNode(row.length + 1, INTERCEPT_FEATURE);
        return out;
    }
}
