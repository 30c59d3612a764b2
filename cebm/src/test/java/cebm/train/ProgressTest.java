package cebm.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void withoutATerminalTheFirstAndLastUpdatesAreWholeLinesAndTheRestWaitsItsTurn() {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(shown), false, 0, 100, false);
        for (int step = 1; step <= 100; step++) p.update(step, "loss " + step);
        p.message("done");
        String log = shown.toString();
        assertFalse(log.contains("\r"), "no carriage returns in a log file");
        String[] lines = log.split("\n");
        assertEquals(3, lines.length, "the first update, the last (the loop takes far less than " + Progress.LINE_SECONDS + " s), the message: " + log);
        assertTrue(lines[0].contains(" 1/100 ") && lines[0].endsWith("loss 1"), lines[0]);
        assertTrue(lines[1].contains(" 100/100 ") && lines[1].endsWith("loss 100"), lines[1]);
        assertEquals("done", lines[2]);
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlace() {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(shown), false, 0, 3, true);
        for (int step = 1; step <= 3; step++) p.update(step, "x");
        p.finish();
        String log = shown.toString();
        assertEquals(3, log.chars().filter(c -> c == '\r').count(), log);
        assertEquals(1, log.chars().filter(c -> c == '\n').count(), "one newline when the bar is finished: " + log);
    }

    @Test
    void quietPrintsNothing() {
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(shown), true, 0, 3, false);
        p.update(1, "x");
        p.finish();
        assertEquals("", shown.toString());
    }
}
