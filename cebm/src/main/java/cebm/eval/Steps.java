package cebm.eval;

/**
 * Where a long computation reports each unit of work it finishes (a chunk of images, a classifier, a
 * batch), so that the command line can draw a progress bar; {@link #NONE} ignores the reports.
 */
@FunctionalInterface
public interface Steps {
    Steps NONE = detail -> { };

    /** One more unit done; {@code detail} says what is being done. */
    void advance(String detail);
}
