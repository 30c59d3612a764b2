package cebm.eval;

import cebm.data.Dataset;
import cebm.tensor.Tensor;
import cebm.train.Probe;
import cebm.train.Trainer;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The learning probe of a training run: cheap measurements, on fixed images, of whether the model
 * learns a useful representation and draws varied samples.
 *
 * <ul>
 *   <li>Representation: the authors' classifier ({@link LiblinearLogistic}) on the latent means of
 *       the first {@value #PROBE_PER_CLASS} training images of each class, fitted on the first 10 of
 *       each and on all of them, scored on the first {@value #TEST_IMAGES} test images. The same
 *       images every time, so the curve shows the model change, not the draw.</li>
 *   <li>Samples: a classifier fitted once, on the raw pixels of the first {@value #PIXEL_TRAIN}
 *       training images, reads {@value #SAMPLES} images of the replay buffer and {@value #SAMPLES}
 *       short-run samples from noise: the mean probability of its chosen class (how much they look
 *       like some class) and the share of the classes it chooses at all (a collapse to one mode
 *       covers one class).</li>
 * </ul>
 */
public final class LearningProbe implements Probe {
    static final int PROBE_PER_CLASS = 100, TEST_IMAGES = 1000, PIXEL_TRAIN = 5000, SAMPLES = 100;
    private final Dataset train, test;
    private final int[] poolRows, tenRows, testRows;
    private final int classes;
    /**
     * Pixel classifiers by the images they were fitted on ({@link #fingerprint}). A fit takes most of
     * a short run's probe, and a JVM that trains many runs on one data set (the tests) needs it once.
     */
    private static final Map<String, Model> PIXEL_CLASSIFIERS = new ConcurrentHashMap<>();
    private Model pixelClassifier;

    public LearningProbe(Dataset train, Dataset test) {
        this.train = train;
        this.test = test;
        this.classes = train.classes();
        this.poolRows = firstOfEachClass(train, PROBE_PER_CLASS);
        this.tenRows = firstOfEachClass(train, Math.min(10, PROBE_PER_CLASS));
        this.testRows = firstRows(Math.min(TEST_IMAGES, test.size()));
    }

    @Override
    public List<String> columns() {
        return List.of("accuracy_10_labels", "accuracy_" + PROBE_PER_CLASS + "_labels", "buffer_confidence", "buffer_classes",
                "noise_confidence", "noise_classes");
    }

    @Override
    public double[] measure(Trainer trainer) {
        float[][] pool = ModelPass.encode(trainer.model(), train, poolRows, 0, Steps.NONE).means();
        // The first 10 of each class are among the first 100: their latents are picked, not encoded again.
        float[][] ten = new float[tenRows.length][];
        for (int i = 0, k = 0; i < poolRows.length && k < ten.length; i++) if (poolRows[i] == tenRows[k]) ten[k++] = pool[i];
        float[][] tests = ModelPass.encode(trainer.model(), test, testRows, 0, Steps.NONE).means();
        Classifier classifier = new LiblinearLogistic();
        int[] testY = test.labels(testRows);
        double accuracyTen = classifier.fitAndScore(Classifier.raw(ten), train.labels(tenRows), Classifier.raw(tests), testY, 0);
        double accuracyAll = classifier.fitAndScore(Classifier.raw(pool), train.labels(poolRows), Classifier.raw(tests), testY, 0);
        Tensor buffer = trainer.buffer().images();
        double[] fromBuffer = quality(buffer.slice(0, Math.min(SAMPLES, buffer.size(0))));
        double[] fromNoise = quality(trainer.sampleFromNoise(SAMPLES, trainer.config().sampleSteps(), trainer.config().seed() + 3));
        return new double[] {accuracyTen, accuracyAll, fromBuffer[0], fromBuffer[1], fromNoise[0], fromNoise[1]};
    }

    @Override
    public String summary(double[] v) {
        return String.format("probe %.0f/%.0f%%  samples %.0f%% sure, %d classes", 100 * v[0], 100 * v[1], 100 * v[4],
                Math.round(v[5] * classes));
    }

    /** {mean probability of the chosen class, share of the classes chosen} over the images. */
    private double[] quality(Tensor images) {
        if (pixelClassifier == null) {
            int[] rows = firstRows(Math.min(PIXEL_TRAIN, train.size()));
            float[][] fitImages = ModelPass.pixels(train, rows);
            int[] fitLabels = train.labels(rows);
            pixelClassifier = PIXEL_CLASSIFIERS.computeIfAbsent(fingerprint(fitImages, fitLabels),
                    key -> LiblinearLogistic.train(Classifier.raw(fitImages), fitLabels));
        }
        int n = images.size(0), size = train.imageSize();
        float[] pixels = images.toArray();
        double[] probabilities = new double[pixelClassifier.getNrClass()];
        boolean[] chosen = new boolean[classes];
        double confidence = 0;
        for (int i = 0; i < n; i++) {
            double[] row = new double[size];
            for (int j = 0; j < size; j++) row[j] = pixels[i * size + j];
            int label = (int) Linear.predictProbability(pixelClassifier, LiblinearLogistic.features(row), probabilities);
            confidence += Arrays.stream(probabilities).max().orElse(0);
            chosen[label] = true;
        }
        int covered = 0;
        for (boolean c : chosen) if (c) covered++;
        return new double[] {confidence / n, covered / (double) classes};
    }

    /**
     * A SHA-256 of the images and labels a pixel classifier is fitted on: the key of
     * {@link #PIXEL_CLASSIFIERS}, equal exactly when the fit would be.
     */
    private static String fingerprint(float[][] images, int[] labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer bytes = ByteBuffer.allocate(4 * (images.length == 0 ? 0 : images[0].length) + 4);
            for (int i = 0; i < images.length; i++) {
                bytes.clear();
                for (float v : images[i]) bytes.putFloat(v);
                bytes.putInt(labels[i]);
                sha.update(bytes.array(), 0, bytes.position());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The first {@code perClass} rows of each class (fewer where a class has fewer), in order. */
    static int[] firstOfEachClass(Dataset data, int perClass) {
        int[] taken = new int[data.classes()];
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int y = data.label(i);
            if (taken[y] < perClass) {
                taken[y]++;
                rows.add(i);
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] firstRows(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        return rows;
    }
}
