package cebm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Turns a JMH JSON result file into a Markdown table: each benchmark's time and, where it
 * counted its work, the achieved GFLOP/s and, for CPU benchmarks, that as a fraction of the FMA
 * peak measured in the same run (the {@code FmaPeakBench} with the same thread count).
 * The last column gives the fastest iteration, as a fraction of the fastest iteration of the
 * peak: on a shared machine whole forks run slower while other tenants are busy, and the mean
 * alone hides how fast the code runs when they are not.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar cebm.bench.ResultsTable results.json > results.md}</pre>
 */
public final class ResultsTable {
    private ResultsTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ResultsTable JMH_RESULT.json");
            System.exit(2);
        }
        JsonNode runs = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        double[] peakByThreads = new double[3], bestPeakByThreads = new double[3];
        for (JsonNode r : runs) {
            if (r.get("benchmark").asText().contains("FmaPeakBench")) {
                int threads = r.get("threads").asInt();
                if (threads < peakByThreads.length) {
                    peakByThreads[threads] = Math.max(peakByThreads[threads], gflops(r));
                    bestPeakByThreads[threads] = Math.max(bestPeakByThreads[threads], fastest(r.path("secondaryMetrics").path("gflop")));
                }
            }
        }
        System.out.println("| benchmark | params | threads | time | GFLOP/s | of FMA peak | GB/s | fastest iteration |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (JsonNode r : runs) {
            String name = r.get("benchmark").asText().replace("cebm.bench.", "");
            int threads = r.get("threads").asInt();
            JsonNode primary = r.get("primaryMetric");
            double gflops = gflops(r), gbytes = perSecond(r, "gbyte");
            // GPU benchmarks have no peak here: the FMA peak is the CPU's.
            boolean onCpu = !params(r).contains("backend=cuda");
            double peak = onCpu ? peakByThreads[cores(r, name)] : 0, bestPeak = onCpu ? bestPeakByThreads[cores(r, name)] : 0;
            double bestGflops = fastest(r.path("secondaryMetrics").path("gflop"));
            String fastest = time(fastest(primary), primary.get("scoreUnit").asText());
            if (bestGflops > 0 && bestPeak > 0 && !name.contains("FmaPeak")) {
                fastest += String.format(Locale.ROOT, ", %.1f%%", 100 * bestGflops / bestPeak);
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |%n", name, params(r), threads,
                    time(primary.get("score").asDouble(), primary.get("scoreUnit").asText()),
                    Double.isNaN(gflops) ? "" : String.format(Locale.ROOT, "%.1f", gflops),
                    Double.isNaN(gflops) || peak == 0 || name.contains("FmaPeak") ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * gflops / peak),
                    Double.isNaN(gbytes) ? "" : String.format(Locale.ROOT, "%.1f", gbytes), fastest);
        }
        StringJoiner peaks = new StringJoiner(", ");
        for (int threads = 1; threads < peakByThreads.length; threads++) {
            if (peakByThreads[threads] > 0) {
                peaks.add(String.format(Locale.ROOT, "%.1f GFLOP/s (%d thread%s)", peakByThreads[threads], threads, threads > 1 ? "s" : ""));
            }
        }
        if (peaks.length() > 0) System.out.printf(Locale.ROOT, "%nFMA peak measured in this run: %s.%n", peaks);
    }

    /**
     * The cores a CPU benchmark computes on, whose FMA peak it is compared with: one for a single
     * GEMM ({@link MatmulBench}) and in a fork without fork-join workers
     * ({@link Conv2dSwishOneCoreBench}); both for the rest, which run their parallel loops on both
     * cores from one benchmark thread.
     */
    private static int cores(JsonNode r, String name) {
        boolean noWorkers = r.path("jvmArgs").toString().contains("common.parallelism=0");
        return noWorkers || name.startsWith("MatmulBench") ? 1 : 2;
    }

    private static double gflops(JsonNode r) {
        return perSecond(r, "gflop");
    }

    /** A work counter ({@link GflopCounter}, {@link ByteCounter}) per second, or NaN if the benchmark has none. */
    private static double perSecond(JsonNode r, String counter) {
        JsonNode secondary = r.get("secondaryMetrics");
        if (secondary == null || !secondary.has(counter)) return Double.NaN;
        JsonNode g = secondary.get(counter);
        // Throughput mode gives the counter per second directly.
        return g.get("scoreUnit").asText().startsWith("ops/s") ? g.get("score").asDouble() : Double.NaN;
    }

    /** The highest per-iteration score of a metric over all forks (JMH's rawData), or 0 if it has none. */
    private static double fastest(JsonNode metric) {
        double best = 0;
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode iteration : fork) best = Math.max(best, iteration.asDouble());
        }
        return best;
    }

    private static String time(double score, String unit) {
        if (unit.equals("ops/s")) return String.format(Locale.ROOT, "%.2f ms/op", 1000 / score);
        return String.format(Locale.ROOT, "%.3g %s", score, unit);
    }

    private static String params(JsonNode r) {
        JsonNode p = r.get("params");
        if (p == null) return "";
        StringBuilder s = new StringBuilder();
        p.fields().forEachRemaining(e -> s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText()));
        return s.toString();
    }
}
