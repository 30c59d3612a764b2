package cebm.train;

import java.util.List;

/**
 * A measurement of what the model has learned, taken every {@code --probe-every} steps while it
 * trains: {@link TrainingRun} appends it to {@code probe.csv}, draws {@code probe.png} and shows
 * {@link #summary} in the progress line. Every value is a fraction in [0, 1], so that one plot holds
 * them all.
 */
public interface Probe {
    /** The CSV columns after {@code step}. */
    List<String> columns();

    /** One value per column for the trainer's present state; it must not change the training's randomness. */
    double[] measure(Trainer trainer);

    /** A few words for the progress line. */
    String summary(double[] values);
}
