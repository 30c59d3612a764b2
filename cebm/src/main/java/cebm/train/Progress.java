package cebm.train;

import java.io.PrintStream;

/**
 * A one-line progress bar on the console, redrawn in place:
 * {@code [#########...........]  450/1000  45%  12.3 steps/s  ETA 0:44  E_data -1.23  E_model -1.10}.
 * Quiet mode prints nothing, for scripts; messages (rollbacks, the end) are printed on their own lines.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean quiet;
    private final int total;
    private final long startNanos = System.nanoTime();
    private final int startStep;
    private boolean barShown;

    public Progress(PrintStream out, boolean quiet, int startStep, int total) {
        this.out = out;
        this.quiet = quiet;
        this.startStep = startStep;
        this.total = total;
    }

    public void update(int step, String detail) {
        if (quiet) return;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double rate = (step - startStep) / Math.max(elapsed, 1e-9);
        int filled = (int) ((long) WIDTH * step / total);
        String eta = rate > 0 ? clock((total - step) / rate) : "?";
        out.printf("\r[%s%s] %d/%d %3d%%  %.2f steps/s  ETA %s  %s   ", "#".repeat(filled), ".".repeat(WIDTH - filled),
                step, total, 100L * step / total, rate, eta, detail);
        out.flush();
        barShown = true;
    }

    /** A message on its own line (the bar, if shown, is continued below it). */
    public void message(String text) {
        if (barShown) out.println();
        barShown = false;
        out.println(text);
    }

    public void finish() {
        if (barShown) out.println();
        barShown = false;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
