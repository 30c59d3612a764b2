package cebm.eval;

import cebm.train.Progress;

/**
 * Where a long computation reports each unit of work it finishes (a chunk of images, a classifier, a
 * batch), so that the command line can draw a progress bar; {@link #NONE} ignores the reports.
 */
@FunctionalInterface
public interface Steps {
    Steps NONE = detail -> { };

    /** One more unit done; {@code detail} says what is being done. */
    void advance(String detail);

    /** Moves {@code progress} on by one unit at each report (reports beyond its total show as the last). */
    static Steps on(Progress progress) {
        int[] done = {0};
        return detail -> progress.update(Math.min(++done[0], progress.total()), detail);
    }
}
