package cebm.eval;

import cebm.tensor.Ops;
import cebm.tensor.Tensor;

/**
 * Nearest-neighbour agreement (spec §3, paper Fig. 3): for each image of a set, its nearest other image of
 * the same set in Euclidean (L2) distance, in latent space or in pixel space; the confusion matrix of
 * (true class, neighbour's class), each row divided by its sum, and the mean of its diagonal.
 *
 * <p>The neighbour is searched among the other images of the same (test) set, leaving the image itself out,
 * so the cost is that set's size squared. Ties go to the lower index. Squared distances are computed as
 * {@code ‖q‖² + ‖x‖² − 2 q·x} with the tensor engine's matrix product, in chunks of queries.
 *
 * <p>The mean of the diagonal is the class-balanced 1-NN accuracy. A class with no image in the set has a
 * row of zeros and is left out of that mean.
 */
public final class NearestNeighbourAgreement {
    private static final int CHUNK = 256;

    private NearestNeighbourAgreement() {}

    /**
     * @param counts         {@code counts[t][p]}: images of class t whose neighbour has class p
     * @param confusion      counts with each row divided by its sum (rows of absent classes are zero)
     * @param meanDiagonal   mean of the diagonal over the classes present
     */
    public record Result(int[][] counts, double[][] confusion, double meanDiagonal) {}

    /** Leave-one-out nearest neighbours within {@code points} (at least two); {@code steps} counts chunks of queries. */
    public static Result leaveOneOut(float[][] points, int[] labels, int classes, Steps steps) {
        int[] neighbour = neighbours(points, steps);
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < points.length; i++) counts[labels[i]][labels[neighbour[i]]]++;
        return fromCounts(counts);
    }

    /** Row-normalises a confusion matrix of counts and takes the mean of its diagonal over non-empty rows. */
    public static Result fromCounts(int[][] counts) {
        int classes = counts.length;
        double[][] confusion = new double[classes][classes];
        double diagonal = 0;
        int present = 0;
        for (int t = 0; t < classes; t++) {
            long total = 0;
            for (int c : counts[t]) total += c;
            if (total == 0) continue;
            for (int p = 0; p < classes; p++) confusion[t][p] = counts[t][p] / (double) total;
            diagonal += confusion[t][t];
            present++;
        }
        return new Result(counts, confusion, present == 0 ? Double.NaN : diagonal / present);
    }

    /** How many chunks {@link #leaveOneOut} reports to its progress for {@code n} points. */
    public static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /** The index of each point's nearest other point. */
    static int[] neighbours(float[][] points, Steps steps) {
        int n = points.length;
        if (n < 2) throw new IllegalArgumentException("nearest neighbours need at least two points, got " + n);
        int dim = points[0].length;
        float[] flat = new float[n * dim];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(points[i], 0, flat, i * dim, dim);
            double s = 0;
            for (float v : points[i]) s += (double) v * v;
            norms[i] = s;
        }
        Tensor all = Tensor.of(flat, n, dim);
        Tensor allT = all.transpose(0, 1).contiguous();
        int[] out = new int[n];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            float[] dots = Ops.matmul(all.slice(start, start + m).contiguous(), allT).toArray();
            for (int q = 0; q < m; q++) {
                int self = start + q;
                double best = Double.POSITIVE_INFINITY;
                int bestIndex = -1;
                for (int j = 0; j < n; j++) {
                    if (j == self) continue;
                    double d = norms[self] + norms[j] - 2.0 * dots[q * n + j];
                    if (d < best) {
                        best = d;
                        bestIndex = j;
                    }
                }
                out[self] = bestIndex;
            }
            steps.advance("nearest neighbours");
        }
        return out;
    }
}
