package cebm.eval;

import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/**
 * Nearest-neighbour agreement (spec §3, paper Fig. 3): for each query image, its nearest reference image in
 * Euclidean (L2) distance, in latent space or in pixel space; the confusion matrix of (true class, neighbour's
 * class), each row divided by its sum, and the mean of its diagonal. The references are one of two kinds
 * ({@link Variants}):
 * <ul>
 *   <li><b>leave-one-out within the test set</b>: the other images of the same set, the image itself left out;
 *   <li><b>against the training images</b>: the labelled training images, as in the paper, so each test image
 *       takes the label of the training image it is closest to.
 * </ul>
 *
 * <p>Ties go to the lower index. Squared distances are computed as {@code ‖q‖² + ‖x‖² − 2 q·x}, the dot
 * products by the tensor engine's matrix product of a chunk of queries with all references at once, so that
 * 10 000 test against 60 000 training images run at the speed of the engine's GEMM.
 *
 * <p>The mean of the diagonal is the class-balanced 1-NN accuracy, {@link Result#agreement} the plain one. A
 * class with no query has a row of zeros and is left out of that mean.
 */
public final class NearestNeighbourAgreement {
    private static final int CHUNK = 256;

    private NearestNeighbourAgreement() {}

    /**
     * @param counts         {@code counts[t][p]}: queries of class t whose neighbour has class p
     * @param confusion      counts with each row divided by its sum (rows of absent classes are zero)
     * @param meanDiagonal   mean of the diagonal over the classes present
     * @param agreement      the fraction of queries whose neighbour has their class
     */
    public record Result(int[][] counts, double[][] confusion, double meanDiagonal, double agreement) {}

    /**
     * The two searches for the same test images.
     *
     * @param leaveOneOut      each test image's nearest other test image
     * @param againstTraining  each test image's nearest labelled training image
     */
    public record Variants(Result leaveOneOut, Result againstTraining) {}

    /** Both variants; {@code steps} counts 2 · {@link #chunks}(test images). */
    public static Variants variants(float[][] test, int[] testLabels, float[][] training, int[] trainingLabels, int classes, Steps steps) {
        return new Variants(leaveOneOut(test, testLabels, classes, steps),
                againstReferences(test, testLabels, training, trainingLabels, classes, steps));
    }

    /** Leave-one-out nearest neighbours within {@code points} (at least two); {@code steps} counts chunks of queries. */
    public static Result leaveOneOut(float[][] points, int[] labels, int classes, Steps steps) {
        return agreement(neighbours(points, points, true, steps), labels, labels, classes);
    }

    /** Each query's nearest reference (at least one); {@code steps} counts chunks of queries. */
    public static Result againstReferences(float[][] queries, int[] queryLabels, float[][] references, int[] referenceLabels,
            int classes, Steps steps) {
        return agreement(neighbours(queries, references, false, steps), queryLabels, referenceLabels, classes);
    }

    private static Result agreement(int[] neighbour, int[] queryLabels, int[] referenceLabels, int classes) {
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < neighbour.length; i++) counts[queryLabels[i]][referenceLabels[neighbour[i]]]++;
        return fromCounts(counts);
    }

    /** Row-normalises a confusion matrix of counts and takes the mean of its diagonal over non-empty rows. */
    public static Result fromCounts(int[][] counts) {
        int classes = counts.length;
        double[][] confusion = new double[classes][classes];
        double diagonal = 0;
        int present = 0;
        long all = 0, agreeing = 0;
        for (int t = 0; t < classes; t++) {
            long total = 0;
            for (int c : counts[t]) total += c;
            if (total == 0) continue;
            for (int p = 0; p < classes; p++) confusion[t][p] = counts[t][p] / (double) total;
            diagonal += confusion[t][t];
            present++;
            all += total;
            agreeing += counts[t][t];
        }
        return present == 0 ? new Result(counts, confusion, Double.NaN, Double.NaN)
                : new Result(counts, confusion, diagonal / present, agreeing / (double) all);
    }

    /** How many chunks one search reports to its progress for {@code n} queries. */
    public static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /**
     * The index of each query's nearest reference. With {@code leaveOneOut} the queries are the references
     * themselves, and query i never takes reference i: its own distance, 0, would always win.
     */
    static int[] neighbours(float[][] queries, float[][] references, boolean leaveOneOut, Steps steps) {
        if (leaveOneOut && queries != references) throw new IllegalArgumentException("leave-one-out searches one set within itself");
        int n = references.length;
        if (n < (leaveOneOut ? 2 : 1)) {
            throw new IllegalArgumentException("nearest neighbours need at least " + (leaveOneOut ? "two points" : "one reference") + ", got " + n);
        }
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) norms[j] = squaredNorm(references[j]);
        // [dim, n]: a chunk of queries [m, dim] times it gives the dot products with every reference, [m, n].
        Tensor referencesT = rows(references, 0, n).transpose(0, 1).contiguous();
        int[] out = new int[queries.length];
        for (int start = 0; start < queries.length; start += CHUNK) {
            int m = Math.min(CHUNK, queries.length - start);
            float[] dots = Ops.matmul(rows(queries, start, start + m), referencesT).toArray();
            for (int q = 0; q < m; q++) {
                int query = start + q;
                int self = leaveOneOut ? query : -1;
                double queryNorm = squaredNorm(queries[query]);
                double best = Double.POSITIVE_INFINITY;
                int bestIndex = -1;
                for (int j = 0; j < n; j++) {
                    if (j == self) continue;
                    double d = queryNorm + norms[j] - 2.0 * dots[q * n + j];
                    if (d < best) {
                        best = d;
                        bestIndex = j;
                    }
                }
                out[query] = bestIndex;
            }
            steps.advance(leaveOneOut ? "nearest neighbours, leave-one-out" : "nearest neighbours among the references");
        }
        return out;
    }

    /** Points {@code from .. to} as a tensor {@code [to − from, dim]}. */
    private static Tensor rows(float[][] points, int from, int to) {
        int dim = points[0].length;
        float[] flat = new float[(to - from) * dim];
        for (int i = from; i < to; i++) System.arraycopy(points[i], 0, flat, (i - from) * dim, dim);
        return Tensors.of(flat, to - from, dim);
    }

    private static double squaredNorm(float[] point) {
        double s = 0;
        for (float v : point) s += (double) v * v;
        return s;
    }
}
