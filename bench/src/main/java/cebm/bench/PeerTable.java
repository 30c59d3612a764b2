package cebm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Pairs each PyTorch peer benchmark of a JMH result file with this engine's benchmark of the same
 * name and parameters, and prints the two times and their ratio as a Markdown table, in the
 * columns of the GPU harness's comparison with {@code torch_cebm.py} (bench/gpu/on-device.sh).
 * A peer is {@code cebm.bench.Torch<Name>.<method>}, and its partner {@code cebm.bench.<Name>.<method>}
 * on the CPU backend ({@code backend=cpu}; the peer runs libtorch's CPU build).
 *
 * <p>Times are medians over the measurement iterations, in milliseconds per operation (1000 over
 * each iteration's throughput), for both engines. The ratio is PyTorch / this engine: above 1,
 * this engine is faster.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar:NATIVE_JAR cebm.bench.PeerTable results.json > peers.md}</pre>
 * With the peer's jars on the class path (as {@code bench/run.sh peers} runs it) the torch column
 * names the libtorch and DJL versions that ran.
 */
public final class PeerTable {
    private static final String PEER_PREFIX = "cebm.bench.Torch";

    private PeerTable() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: PeerTable JMH_RESULT.json");
            System.exit(2);
        }
        JsonNode runs = new ObjectMapper().readTree(Files.readString(Path.of(args[0])));
        String torch = torchVersion();
        System.out.println("| benchmark | params | mode | dtype | PyTorch median ms | min | max | torch | this engine (cpu) ms | PyTorch / this engine |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (JsonNode peer : runs) {
            String name = peer.get("benchmark").asText();
            if (!name.startsWith(PEER_PREFIX)) continue;
            String ourName = "cebm.bench." + name.substring(PEER_PREFIX.length());
            Map<String, String> params = params(peer);
            JsonNode ours = null;
            for (JsonNode r : runs) {
                Map<String, String> p = params(r);
                if (r.get("benchmark").asText().equals(ourName) && "cpu".equals(p.remove("backend")) && p.equals(params)) ours = r;
            }
            double[] peerMs = iterationMillis(peer);
            double oursMs = ours == null ? Double.NaN : median(iterationMillis(ours));
            System.out.printf(Locale.ROOT, "| %s | %s | eager | fp32 | %.2f | %.2f | %.2f | %s | %s | %s |%n",
                    ourName.replace("cebm.bench.", ""), show(params), median(peerMs), peerMs[0], peerMs[peerMs.length - 1], torch,
                    ours == null ? "not run" : String.format(Locale.ROOT, "%.2f", oursMs),
                    ours == null ? "" : String.format(Locale.ROOT, "%.2f", median(peerMs) / oursMs));
        }
    }

    /** Each measurement iteration's time in ms per operation, sorted (JMH's rawData, all forks). */
    private static double[] iterationMillis(JsonNode r) {
        JsonNode primary = r.get("primaryMetric");
        if (!primary.get("scoreUnit").asText().equals("ops/s")) {
            throw new IllegalArgumentException(r.get("benchmark").asText() + ": expected a throughput in ops/s, got " + primary.get("scoreUnit").asText());
        }
        List<Double> ms = new ArrayList<>();
        for (JsonNode fork : primary.path("rawData")) {
            for (JsonNode iteration : fork) ms.add(1000 / iteration.asDouble());
        }
        if (ms.isEmpty()) ms.add(1000 / primary.get("score").asDouble());
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** The middle value of sorted values; the mean of the two middle ones for an even count. */
    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Map<String, String> params(JsonNode r) {
        Map<String, String> p = new TreeMap<>();
        r.path("params").fields().forEachRemaining(e -> p.put(e.getKey(), e.getValue().asText()));
        return p;
    }

    private static String show(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        params.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return s.toString();
    }

    /**
     * libtorch's version from the native library's jar ({@code native/lib/pytorch.properties}) and
     * DJL's from its API jar ({@code ai/djl/engine/api.properties}), where they are on the class
     * path; "?" where not.
     */
    private static String torchVersion() throws IOException {
        String libtorch = property("native/lib/pytorch.properties", "version");
        String djl = property("ai/djl/engine/api.properties", "djl_version");
        return (libtorch == null ? "?" : libtorch.replaceFirst("-\\d{8}$", "")) + " (DJL " + (djl == null ? "?" : djl) + ")";
    }

    private static String property(String resource, String key) throws IOException {
        try (InputStream in = PeerTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return null;
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key);
        }
    }
}
