package cebm.guide;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guides under {@code docs/} and what they quote. A guide never holds code or output of its
 * own: each fenced block follows a marker that says where it comes from, and {@link GuidesTest}
 * checks that the block is exactly that.
 * <pre>
 *   &lt;!-- include: cebm/src/test/java/cebm/guide/TapeTour.java#forward --&gt;   the region "forward" of that file
 *   &lt;!-- include: autograd/src/main/java/cebm/autograd/ops/Mul.java --&gt;        the whole file
 *   &lt;!-- output: cebm/src/test/java/cebm/guide/TapeTour.java --&gt;              what its main method prints
 * </pre>
 * A region is the lines between {@code // region NAME} (anything may follow the name: main
 * sources say which guide quotes them) and the next {@code // endregion}, without their common
 * indentation; the same comments mark regions in CUDA sources. Paths are relative to the
 * repository root. An included block is fenced in its file's language ({@link #language}):
 * {@code ```java} for Java, {@code ```cuda} for CUDA.
 */
final class Guides {
    /** The repository root: tests run in the cebm module's folder. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCS = ROOT.resolve("docs");

    private static final Pattern MARKER = Pattern.compile("^<!-- (include|output): ([^#\\s]+)(?:#(\\S+))? -->$");
    private static final Pattern REGION_START = Pattern.compile("^\\s*// region (\\S+)(\\s.*)?$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// endregion\\s*$");

    private Guides() {}

    /**
     * One quoted block: the marker's line, what it names, and the block's lines as the guide has
     * them. A marker may be indented (inside a list item); its fenced block then carries the same
     * indentation, which is not part of what is compared.
     *
     * @param firstLine index of the block's first line (after the opening fence) in the guide
     */
    record Quote(Path guide, int markerLine, String indent, String kind, String path, String region, int firstLine,
                 String fence, List<String> shown) {
        String where() {
            return ROOT.relativize(guide) + ":" + (markerLine + 1) + " (" + kind + " " + path + (region == null ? "" : "#" + region) + ")";
        }

        /** The opening fence the block must have: its file's language for an include, text for an output. */
        String expectedFence() {
            return "```" + (kind.equals("include") ? language(path) : "text");
        }

        /** What the block must hold: the region or file for an include, the program's output for an output. */
        List<String> expected() throws Exception {
            return kind.equals("include") ? Guides.region(ROOT.resolve(path), region) : output(path);
        }
    }

    static List<Path> guides() throws IOException {
        try (var files = Files.list(DOCS)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /** The fence language of an included file, by its extension: java, cuda (.cu, .cuh), bash (.sh), else text. */
    static String language(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (extension) {
            case "java" -> "java";
            case "cu", "cuh" -> "cuda";
            case "sh" -> "bash";
            default -> "text";
        };
    }

    /** Every marker of a guide with the fenced block below it; a marker without a block right below is an error. */
    static List<Quote> quotes(Path guide) throws IOException {
        List<String> lines = Files.readAllLines(guide);
        List<Quote> quotes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches()) continue;
            String indent = lines.get(i).substring(0, lines.get(i).length() - lines.get(i).stripLeading().length());
            if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith(indent + "```")) {
                throw new IllegalStateException(guide + ":" + (i + 1) + ": a marker must be followed by a fenced block");
            }
            int end = i + 2;
            while (end < lines.size() && !lines.get(end).startsWith(indent + "```")) end++;
            List<String> shown = new ArrayList<>();
            for (String line : lines.subList(i + 2, end)) shown.add(line.startsWith(indent) ? line.substring(indent.length()) : line);
            String fence = lines.get(i + 1).substring(indent.length()).strip();
            quotes.add(new Quote(guide, i, indent, m.group(1), m.group(2), m.group(3), i + 2, fence, shown));
        }
        return quotes;
    }

    /** The opening fences of Java or CUDA blocks that no marker vouches for: "line: fence". */
    static List<String> unmarkedCodeBlocks(Path guide) throws IOException {
        List<String> lines = Files.readAllLines(guide);
        List<String> found = new ArrayList<>();
        boolean inBlock = false;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().startsWith("```")) continue;
            if (!inBlock && List.of("```java", "```cuda").contains(lines.get(i).strip()) && (i == 0 || !MARKER.matcher(lines.get(i - 1).strip()).matches())) {
                found.add((i + 1) + ": " + lines.get(i));
            }
            inBlock = !inBlock;
        }
        return found;
    }

    /** The lines of a region of a source file (the whole file if {@code name} is null), without common indentation. */
    static List<String> region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (name == null) return lines;
        List<String> body = null;
        for (String line : lines) {
            Matcher start = REGION_START.matcher(line);
            if (body == null) {
                if (start.matches() && start.group(1).equals(name)) body = new ArrayList<>();
            } else if (REGION_END.matcher(line).matches()) {
                return dedent(body);
            } else if (start.matches()) {
                throw new IllegalStateException(file + ": region " + name + " holds another region; regions do not nest");
            } else {
                body.add(line);
            }
        }
        throw new IllegalStateException(file + ": no region " + name + (body == null ? "" : " end"));
    }

    /** Runs the main method of the example in {@code sourcePath} and returns the lines it printed. */
    static List<String> output(String sourcePath) throws Exception {
        String prefix = "src/test/java/";
        String className = sourcePath.substring(sourcePath.indexOf(prefix) + prefix.length(), sourcePath.length() - ".java".length())
                .replace('/', '.');
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Class.forName(className).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    /** Rewrites every quoted block of a guide with what it must hold (run with -Dguides.write=true). */
    static void rewrite(Path guide) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(guide));
        List<Quote> quotes = quotes(guide);
        for (int q = quotes.size() - 1; q >= 0; q--) {
            Quote quote = quotes.get(q);
            List<String> block = lines.subList(quote.firstLine(), quote.firstLine() + quote.shown().size());
            block.clear();
            for (String line : quote.expected()) block.add(line.isEmpty() ? "" : quote.indent() + line);
            lines.set(quote.firstLine() - 1, quote.indent() + quote.expectedFence());
        }
        Files.write(guide, lines);
    }

    private static List<String> dedent(List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) indent = Math.min(indent, line.length() - line.stripLeading().length());
        }
        List<String> out = new ArrayList<>();
        for (String line : lines) out.add(line.isBlank() ? "" : line.substring(indent));
        return out;
    }
}
