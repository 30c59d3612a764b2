package cebm.toy;

/**
 * A plane through the origin of the K-dimensional latent space, on which to look at posterior
 * means: the span of the top two eigenvectors of {@code M = (1/N) Σ_n μ̃_n μ̃_nᵀ}, the directions
 * that hold most of the points' squared length. Because the plane passes through the origin and
 * its axes are orthonormal, the prior N(0, I_K) projects onto it as N(0, I_2): its circles stay
 * circles of the same radii.
 */
final class LatentPlane {
    private static final int ITERATIONS = 300;

    private final int k;
    private final double[] first;
    private final double[] second;

    private LatentPlane(int k, double[] first, double[] second) {
        this.k = k;
        this.first = first;
        this.second = second;
    }

    /** The plane of the points {@code means} (N rows of K values, row-major). */
    static LatentPlane of(float[] means, int k) {
        double[][] m = new double[k][k];
        int n = means.length / k;
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) m[i][j] += (double) means[p * k + i] * means[p * k + j] / n;
            }
        }
        double[] first = topEigenvector(m, null);
        return new LatentPlane(k, first, topEigenvector(m, first));
    }

    /** (z·u1, z·u2) for each row z of {@code means}, as pairs. */
    float[] project(float[] means) {
        int n = means.length / k;
        float[] xy = new float[2 * n];
        for (int p = 0; p < n; p++) {
            double a = 0, b = 0;
            for (int i = 0; i < k; i++) {
                a += means[p * k + i] * first[i];
                b += means[p * k + i] * second[i];
            }
            xy[2 * p] = (float) a;
            xy[2 * p + 1] = (float) b;
        }
        return xy;
    }

    /**
     * Power iteration: repeatedly {@code u ← M u / |M u|}, which converges to the eigenvector of the
     * largest eigenvalue of the symmetric positive semi-definite M. With {@code orthogonalTo}, that
     * direction is projected out at every step, which gives the second eigenvector.
     */
    private static double[] topEigenvector(double[][] m, double[] orthogonalTo) {
        int k = m.length;
        double[] u = new double[k];
        for (int i = 0; i < k; i++) u[i] = 1.0 + i; // any start that is not orthogonal to the answer
        for (int it = 0; it < ITERATIONS; it++) {
            if (orthogonalTo != null) removeComponent(u, orthogonalTo);
            double[] next = new double[k];
            for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) next[i] += m[i][j] * u[j];
            double norm = Math.sqrt(dot(next, next));
            if (norm == 0) break;
            for (int i = 0; i < k; i++) u[i] = next[i] / norm;
        }
        if (orthogonalTo != null) removeComponent(u, orthogonalTo);
        double norm = Math.sqrt(dot(u, u));
        for (int i = 0; i < k; i++) u[i] /= norm;
        return u;
    }

    private static void removeComponent(double[] u, double[] direction) {
        double d = dot(u, direction);
        for (int i = 0; i < u.length; i++) u[i] -= d * direction[i];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
