package cebm.eval;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A multinomial (softmax) logistic regression fitted by AdaGrad: Tribuo's {@link LinearSGDTrainer}
 * with the {@link LogMulticlass} objective (learning rate 1, ε 0.1, minibatches of one, shuffled by
 * a seeded generator). It has no explicit regulariser; the fixed number of updates is the implicit
 * one. The number of epochs grows as the labelled set shrinks, {@code clamp(⌈3000 / n⌉, 5, 1000)},
 * so that even ten examples get 3000 updates. Features are centred on the mean of the whole labelled
 * pool and divided by one common scale ({@link Standardiser}).
 *
 * <p>Not the paper's protocol ({@link LiblinearLogistic} is): on nearly constant latents it reads
 * far higher, since the rescaling lifts differences that an L2 penalty at C = 1 ignores.
 */
final class SgdLogistic implements Classifier {
    static final String NAME = "sgd";
    private static final int MIN_UPDATES = 3_000;
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    static {
        // Tribuo logs every training at INFO ("Training SGD model with N examples"); the progress bar says enough.
        TRIBUO_LOG.setLevel(Level.WARNING);
    }

    @Override
    public String description() {
        return "Tribuo LinearSGDTrainer, LogMulticlass (multinomial logistic regression), AdaGrad(1.0, 0.1), "
                + "features centred and scaled by one common factor";
    }

    @Override
    public Features features(float[][] pool, float[][] test) {
        Standardiser standardiser = Standardiser.fit(pool);
        return new Features(standardiser.apply(pool), standardiser.apply(test));
    }

    @Override
    public double fitAndScore(double[][] x, int[] y, double[][] testX, int[] testY, long seed) {
        if (x.length == 0) throw new IllegalArgumentException("logistic regression: no training examples");
        String[] names = featureNames(x[0].length);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("latents", factory), factory);
        for (int i = 0; i < x.length; i++) train.add(new ArrayExample<>(new Label(Integer.toString(y[i])), names, x[i]));
        int epochs = (int) Math.max(5, Math.min(1000, Math.ceil(MIN_UPDATES / (double) x.length)));
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, -1, 1, seed);
        Model<Label> model = trainer.train(train);
        List<Example<Label>> examples = new ArrayList<>(testX.length);
        for (int i = 0; i < testX.length; i++) examples.add(new ArrayExample<>(new Label(Integer.toString(testY[i])), names, testX[i]));
        List<Prediction<Label>> predictions = model.predict(examples);
        int correct = 0;
        for (int i = 0; i < testX.length; i++) {
            if (predictions.get(i).getOutput().getLabel().equals(Integer.toString(testY[i]))) correct++;
        }
        return correct / (double) testX.length;
    }

    /** Zero-padded names, so that Tribuo's alphabetical feature order is the index order. */
    private static String[] featureNames(int dim) {
        String[] names = new String[dim];
        int width = Integer.toString(dim - 1).length();
        for (int j = 0; j < dim; j++) names[j] = "z" + "0".repeat(width - Integer.toString(j).length()) + j;
        return names;
    }

    /**
     * Centring with the pool's mean and one common scale (the root mean square distance from it), z ↦ (z − mean)
     * / scale: the optimiser sees numbers of order one, while the relative scales of the features are kept. (A
     * per-feature standardisation would blow up near-constant, collapsed latent dimensions into unit-variance
     * noise, which hurts the few-label settings.)
     */
    record Standardiser(double[] mean, double scale) {
        static Standardiser fit(float[][] x) {
            int dim = x.length == 0 ? 0 : x[0].length;
            double[] mean = new double[dim];
            for (float[] row : x) for (int j = 0; j < dim; j++) mean[j] += row[j];
            for (int j = 0; j < dim; j++) mean[j] /= x.length;
            double ss = 0;
            for (float[] row : x) for (int j = 0; j < dim; j++) ss += (row[j] - mean[j]) * (row[j] - mean[j]);
            double rms = Math.sqrt(ss / Math.max(1, x.length) / Math.max(1, dim));
            return new Standardiser(mean, rms > 1e-12 && Double.isFinite(rms) ? rms : 1);
        }

        double[][] apply(float[][] x) {
            double[][] out = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                double[] row = new double[mean.length];
                for (int j = 0; j < row.length; j++) row[j] = (x[i][j] - mean[j]) / scale;
                out[i] = row;
            }
            return out;
        }
    }
}
