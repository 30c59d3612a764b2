package cebm.train;

import java.io.PrintStream;

/**
 * The progress of a long loop on one line:
 * {@code [#########...........]  450/1000  45%  12.3 steps/s  ETA 0:44  E_data -1.23  E_model -1.10}.
 * On a terminal the line is redrawn in place. Written to a file or a pipe, where each redraw would
 * become part of one endless line, it is printed as whole lines instead: the first at once, then at
 * most one every {@value #LINE_SECONDS} seconds, and the last. Quiet mode prints nothing, for
 * scripts; messages (rollbacks, the end) are printed on their own lines.
 *
 * <p>Not a progress-bar library: me.tongfei:progressbar 0.10.1, written to a file, redraws one
 * line with carriage returns and colour codes on standard error; made to print whole lines it
 * needs as much setting up as this class has code, a timer thread, and jline besides.
 */
public final class Progress {
    private static final int WIDTH = 30;
    static final int LINE_SECONDS = 30;
    private final PrintStream out;
    private final boolean quiet;
    private final boolean redraw;
    private final int total;
    private final long startNanos = System.nanoTime();
    private final int startStep;
    private boolean barShown;
    private long lastLineNanos;
    private boolean lineShown;

    /** Redraws in place when the JVM has a console (a terminal), prints whole lines otherwise. */
    public Progress(PrintStream out, boolean quiet, int startStep, int total) {
        this(out, quiet, startStep, total, System.console() != null);
    }

    /** @param redraw whether to redraw one line in place (a terminal) rather than print whole lines */
    public Progress(PrintStream out, boolean quiet, int startStep, int total, boolean redraw) {
        this.out = out;
        this.quiet = quiet;
        this.redraw = redraw;
        this.startStep = startStep;
        this.total = total;
    }

    public void update(int step, String detail) {
        if (quiet) return;
        long now = System.nanoTime();
        double elapsed = (now - startNanos) / 1e9;
        double rate = (step - startStep) / Math.max(elapsed, 1e-9);
        int filled = (int) ((long) WIDTH * step / total);
        String eta = rate > 0 ? clock((total - step) / rate) : "?";
        String line = String.format("[%s%s] %d/%d %3d%%  %.2f steps/s  ETA %s  %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                step, total, 100L * step / total, rate, eta, detail);
        if (redraw) {
            out.print("\r" + line + "   ");
            out.flush();
            barShown = true;
        } else if (!lineShown || step >= total || now - lastLineNanos >= LINE_SECONDS * 1_000_000_000L) {
            out.println(line);
            lineShown = true;
            lastLineNanos = now;
        }
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

    /** The step at which the loop is done. */
    public int total() {
        return total;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
