package cebm.eval;

import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.DenseVector;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * A 2-D picture of the latent space: principal component analysis of the latent means, projected onto the
 * two directions of largest variance.
 *
 * <p>The covariance matrix of the centred points is formed here (in double precision) and its eigenvectors
 * come from Tribuo's symmetric eigendecomposition ({@link DenseMatrix#eigenDecomposition()}). Each
 * eigenvector's sign is fixed so that its entry of largest magnitude is positive, which makes the picture
 * the same from run to run. PCA rather than t-SNE or UMAP: it is exact, deterministic and fast, and no
 * Apache/MIT/BSD-licensed, maintained Java t-SNE/UMAP was worth a dependency.
 */
public final class LatentProjection {
    private LatentProjection() {}

    /**
     * @param x, y               the first and second principal coordinates of each point
     * @param explainedVariance  the fraction of the total variance along each of the two axes
     * @param axes               the two unit directions, {@code [2][dim]}
     */
    public record Result(double[] x, double[] y, double[] explainedVariance, double[][] axes) {}

    /** Projects {@code points} (at least two, all of the same dimension ≥ 2) onto their first two principal axes. */
    public static Result pca(float[][] points) {
        int n = points.length;
        if (n < 2) throw new IllegalArgumentException("PCA needs at least two points, got " + n);
        int d = points[0].length;
        if (d < 2) throw new IllegalArgumentException("PCA to 2-D needs at least two dimensions, got " + d);
        double[] mean = new double[d];
        for (float[] p : points) for (int j = 0; j < d; j++) mean[j] += p[j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] cov = new double[d][d];
        double[] centred = new double[d];
        for (float[] p : points) {
            for (int j = 0; j < d; j++) centred[j] = p[j] - mean[j];
            for (int a = 0; a < d; a++) {
                double ca = centred[a];
                double[] row = cov[a];
                for (int b = a; b < d; b++) row[b] += ca * centred[b];
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
        }
        DenseMatrix.EigenDecomposition eig = DenseMatrix.createDenseMatrix(cov).eigenDecomposition()
                .orElseThrow(() -> new IllegalStateException("PCA: the covariance matrix could not be decomposed"));
        DenseVector values = eig.eigenvalues();
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values.get(i)).thenComparingInt(i -> i));
        double total = 0;
        for (int i = 0; i < d; i++) total += Math.max(0, values.get(i));
        double[][] axes = new double[2][];
        double[] explained = new double[2];
        for (int a = 0; a < 2; a++) {
            DenseVector v = eig.getEigenVector(order[a]);
            double[] axis = new double[d];
            int largest = 0;
            for (int j = 0; j < d; j++) {
                axis[j] = v.get(j);
                if (Math.abs(axis[j]) > Math.abs(axis[largest])) largest = j;
            }
            if (axis[largest] < 0) for (int j = 0; j < d; j++) axis[j] = -axis[j];
            axes[a] = axis;
            explained[a] = total > 0 ? Math.max(0, values.get(order[a])) / total : 0;
        }
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            double sx = 0, sy = 0;
            for (int j = 0; j < d; j++) {
                double c = points[i][j] - mean[j];
                sx += c * axes[0][j];
                sy += c * axes[1][j];
            }
            x[i] = sx;
            y[i] = sy;
        }
        return new Result(x, y, explained, axes);
    }
}
