package cebm.eval;

import de.bwaldvogel.liblinear.Model;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authors' classifier is the minimiser of ½‖w‖² + C Σ_i log(1 + exp(−t_i wᵀx̃_i)) with C = 1 and
 * x̃ = (x, 1), the intercept's weight inside the penalty: at the solution the gradient
 * w + C Σ_i (σ(t_i wᵀx̃_i) − 1) t_i x̃_i vanishes. LIBLINEAR stops when its norm is under 1e-4 times
 * that at w = 0 (scaled by the smaller class's share); the test allows 1e-3.
 */
class LiblinearLogisticTest {
    @Test
    void theWeightsMinimiseTheL2RegularisedLogisticLossWithCOneAndAPenalisedIntercept() {
        Random r = new Random(21);
        int n = 300, dim = 5;
        double[][] x = new double[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            // Overlapping classes, and an offset, so that the intercept matters and w stays finite.
            for (int j = 0; j < dim; j++) x[i][j] = r.nextGaussian() + (j == 0 ? 0.8 * y[i] : 0) + 1.5;
        }
        Model model = LiblinearLogistic.train(x, y);
        double[] w = model.getFeatureWeights();
        assertEquals(dim + 1, w.length, "one weight per feature and the intercept's");
        int positive = model.getLabels()[0];
        double[] gradient = w.clone(), atZero = new double[dim + 1];
        for (int i = 0; i < n; i++) {
            double t = y[i] == positive ? 1 : -1, margin = w[dim];
            for (int j = 0; j < dim; j++) margin += w[j] * x[i][j];
            double factor = (1 / (1 + Math.exp(-t * margin)) - 1) * t;
            for (int j = 0; j <= dim; j++) {
                double feature = j == dim ? 1 : x[i][j];
                gradient[j] += factor * feature;
                atZero[j] += -0.5 * t * feature;
            }
        }
        double norm = Math.sqrt(java.util.Arrays.stream(gradient).map(g -> g * g).sum());
        double norm0 = Math.sqrt(java.util.Arrays.stream(atZero).map(g -> g * g).sum());
        assertTrue(norm <= 1e-3 * norm0, "‖∇‖ = " + norm + " at the solution, " + norm0 + " at w = 0");
        assertTrue(Math.abs(w[dim]) > 0.1, "an intercept was fitted: " + w[dim]);
    }

    @Test
    void oneVersusRestPicksTheClassWithTheLargestDecisionValue() {
        // Three classes on a line, the middle one between the others: a one-vs-rest model cannot
        // separate the middle class from the rest by one hyperplane, but its largest decision value still
        // wins where the outer classes' values are low. Far-apart clusters make every prediction right.
        double[][] x = new double[90][1];
        int[] y = new int[90];
        Random r = new Random(5);
        for (int i = 0; i < 90; i++) {
            y[i] = i % 3;
            x[i][0] = 10 * (y[i] - 1) + 0.1 * r.nextGaussian();
        }
        double[][] outer = {{-10}, {10}};
        assertEquals(1.0, new LiblinearLogistic().fitAndScore(x, y, outer, new int[] {0, 2}, 0), 0.0);
    }
}
