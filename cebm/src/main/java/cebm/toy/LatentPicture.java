package cebm.toy;

import cebm.data.Dataset;
import cebm.model.EnergyModel;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * What the tractable posterior does with the plane. A CEBM's posterior p(z | x) is Gaussian with
 * natural parameters λ + t(x) (spec §1), so every point x has a posterior mean μ̃(x) in the
 * K-dimensional latent space: the representation the paper evaluates (spec §3). The labels (which
 * shape a point came from) are never used in training; here they only colour the picture.
 * <ul>
 *   <li>right, the latent space seen on its {@link LatentPlane}: the posterior means of the data
 *       points, coloured by label, and the prior's circles |z| = 1 and 2, dashed;</li>
 *   <li>left, the data plane: the data points coloured by label, and every pixel x tinted with the
 *       label of the data point whose posterior mean is nearest to μ̃(x) (in all K dimensions):
 *       the nearest-neighbour classifier of spec §3, drawn as a map.</li>
 * </ul>
 */
final class LatentPicture {
    /** Data points that vote in the nearest-neighbour map (a subsample keeps the map quick). */
    private static final int VOTERS = 250;
    private static final double TINT = 0.75;

    private LatentPicture() {}

    static BufferedImage draw(EnergyModel model, Viewport view, Dataset data) {
        float[] points = ToyRun.points(data);
        float[] dataMeans = posteriorMeans(model, Tensors.of(points, data.size(), 2, 1, 1));
        int k = dataMeans.length / data.size();
        float[] means = LatentPlane.of(dataMeans, k).project(dataMeans);
        double reach = 0;
        for (int i = 0; i < means.length; i += 2) reach = Math.max(reach, Math.hypot(means[i], means[i + 1]));
        Viewport latent = new Viewport(Math.max(2.5, 1.1 * reach), view.size());

        Canvas canvas = new Canvas(view.size(), "data; tint: label of the nearest posterior mean",
                "posterior means of the data (" + k + "-D, projected)");
        Canvas.Panel left = canvas.panel(0, view);
        left.raster(nearestLabelMap(posteriorMeans(model, view.pixelCentres()), dataMeans, data, k));
        Canvas.Panel right = canvas.panel(1, latent);
        right.circle(1, Color.DARK_GRAY);
        right.circle(2, Color.DARK_GRAY);
        for (int i = 0; i < data.size(); i++) {
            Color c = Colours.LABELS[data.label(i) % Colours.LABELS.length];
            left.dots(new float[] {points[2 * i], points[2 * i + 1]}, 1.5, c, null);
            right.dots(new float[] {means[2 * i], means[2 * i + 1]}, 1.5, c, null);
        }
        return canvas.image();
    }

    /** For each pixel's μ̃ (rows of {@code pixelMeans}), the tinted colour of the label of the nearest voter's μ̃. */
    private static int[] nearestLabelMap(float[] pixelMeans, float[] dataMeans, Dataset data, int k) {
        int stride = Math.max(1, data.size() / VOTERS);
        int[] rgb = new int[pixelMeans.length / k];
        for (int p = 0; p < rgb.length; p++) {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int n = 0; n < data.size(); n += stride) {
                double d = 0;
                for (int j = 0; j < k; j++) {
                    double diff = pixelMeans[p * k + j] - dataMeans[n * k + j];
                    d += diff * diff;
                }
                if (d < bestDistance) {
                    bestDistance = d;
                    best = n;
                }
            }
            rgb[p] = Colours.tint(Colours.LABELS[data.label(best) % Colours.LABELS.length], TINT);
        }
        return rgb;
    }

    /** μ̃(x) {@code [N, K]} for the points {@code [N, 2, 1, 1]}, row-major. */
    private static float[] posteriorMeans(EnergyModel model, Tensor points) {
        return model.posterior(points).mean().toArray();
    }
}
