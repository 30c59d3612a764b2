package cebm.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FewLabelClassificationTest {
    private static final int CLASSES = 4;
    private static final int DIM = 6;

    /** Gaussian blobs (std 0.3) around centres 10 apart: linearly separable with a wide margin. */
    private static float[][] blobs(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        float[][] x = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int j = 0; j < DIM; j++) x[i][j] = (float) ((j == labels[i] ? 10 : 0) + 0.3 * r.nextGaussian());
        }
        return x;
    }

    private static double[][] toDouble(float[][] x) {
        return Arrays.stream(x).map(row -> {
            double[] d = new double[row.length];
            for (int j = 0; j < row.length; j++) d[j] = row[j];
            return d;
        }).toArray(double[][]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"liblinear", "sgd"})
    void logisticRegressionOnSeparableBlobsIsPerfect(String name) {
        Classifier classifier = Classifier.named(name);
        int[] y = new int[200], yt = new int[400];
        float[][] x = blobs(200, 1, y), xt = blobs(400, 2, yt);
        assertEquals(1.0, classifier.fitAndScore(toDouble(x), y, toDouble(xt), yt, 7), 0.0);
        // One example per class is enough for blobs this far apart.
        int[] one = {0, 1, 2, 3};
        double[][] few = {toDouble(x)[0], toDouble(x)[1], toDouble(x)[2], toDouble(x)[3]};
        assertEquals(1.0, classifier.fitAndScore(few, one, toDouble(xt), yt, 7), 0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"liblinear", "sgd"})
    void logisticRegressionOnRandomLabelsIsNearChance(String name) {
        Random r = new Random(3);
        int n = 400;
        double[][] x = new double[n][DIM], xt = new double[n][DIM];
        int[] y = new int[n], yt = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIM; j++) {
                x[i][j] = r.nextGaussian();
                xt[i][j] = r.nextGaussian();
            }
            y[i] = r.nextInt(CLASSES);
            yt[i] = r.nextInt(CLASSES);
        }
        double acc = Classifier.named(name).fitAndScore(x, y, xt, yt, 1);
        assertTrue(Math.abs(acc - 0.25) < 0.1, "accuracy " + acc);
    }

    @Test
    void drawsTakeDistinctImagesOfEachClassAndDependOnlyOnTheSeed() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) labels[i] = (i * 7) % CLASSES;
        int[] a = FewLabelClassification.drawPerClass(labels, CLASSES, 10, new SplittableRandom(5));
        int[] b = FewLabelClassification.drawPerClass(labels, CLASSES, 10, new SplittableRandom(5));
        assertArrayEquals(a, b);
        assertEquals(40, a.length);
        assertEquals(40, Arrays.stream(a).distinct().count());
        for (int c = 0; c < CLASSES; c++) {
            for (int k = 0; k < 10; k++) assertEquals(c, labels[a[c * 10 + k]]);
        }
    }

    @Test
    void runGivesEverySettingSkipsWhatThePoolCannotHoldAndIsReproducible() {
        int[] y = new int[120], yt = new int[80];
        float[][] x = blobs(120, 4, y), xt = blobs(80, 5, yt);
        List<FewLabelClassification.Setting> s = FewLabelClassification.run(Classifier.named("liblinear"), x, y, xt, yt, CLASSES, 11, Steps.NONE);
        assertEquals(List.of("1", "10", "100", "full"), s.stream().map(FewLabelClassification.Setting::setting).toList());
        for (int i : new int[] {0, 1, 3}) {
            assertNull(s.get(i).skipped());
            assertEquals(1.0, s.get(i).mean(), 0.0, s.get(i).setting());
            assertEquals(0.0, s.get(i).std(), 0.0);
        }
        assertEquals(FewLabelClassification.DRAWS_OF_ONE, s.get(0).accuracies().length);
        assertEquals(FewLabelClassification.DRAWS, s.get(1).accuracies().length);
        assertNotNull(s.get(2).skipped(), "30 images per class cannot give 100");
        List<FewLabelClassification.Setting> again = FewLabelClassification.run(Classifier.named("liblinear"), x, y, xt, yt, CLASSES, 11, Steps.NONE);
        for (int i = 0; i < s.size(); i++) assertArrayEquals(s.get(i).accuracies(), again.get(i).accuracies());
    }

    @Test
    void anUnknownClassifierIsRefusedWithTheNames() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Classifier.named("svm"));
        assertTrue(e.getMessage().contains("liblinear, sgd"), e.getMessage());
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertEquals(2.0, FewLabelClassification.mean(new double[] {1, 2, 3}), 1e-12);
        assertEquals(1.0, FewLabelClassification.std(new double[] {1, 2, 3}), 1e-12);
        assertEquals(0.0, FewLabelClassification.std(new double[] {4}), 0.0);
    }
}
