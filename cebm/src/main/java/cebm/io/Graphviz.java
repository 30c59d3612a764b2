package cebm.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Graphviz's {@code dot} program, run as a separate process to turn DOT text into SVG or PNG. It
 * is optional: callers ask {@link #available()} and otherwise leave the DOT file for the user.
 *
 * @param program the program to run: "dot" finds it on the PATH
 */
public record Graphviz(String program) {

    /** Whether {@code program -V} runs and succeeds. */
    public boolean available() {
        try {
            Process p = new ProcessBuilder(program, "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code program -T<format> dotFile -o target}; on failure the exception carries dot's message. */
    public void render(Path dotFile, String format, Path target) throws IOException {
        Process p = new ProcessBuilder(program, "-T" + format, dotFile.toString(), "-o", target.toString())
                .redirectErrorStream(true).start();
        try {
            String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) throw new IOException(program + " -T" + format + " " + dotFile + " failed: " + messages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + program, e);
        }
    }
}
