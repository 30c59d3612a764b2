package cebm.bench;

import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints the backends that can run here as one line for JMH, such as {@code cpu} or
 * {@code cpu,cuda}, and on stderr why each other one cannot: {@code bench/run.sh} passes the line
 * on as {@code -p backend=...}, so that a machine without a GPU skips the CUDA benchmarks.
 *
 * <pre>{@code java -cp bench/target/benchmarks.jar cebm.bench.UsableBackends}</pre>
 */
public final class UsableBackends {
    private UsableBackends() {}

    public static void main(String[] args) {
        List<String> usable = new ArrayList<>(List.of("cpu"));
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = p.availability();
            if (a.usable()) {
                usable.add(p.name());
            } else {
                System.err.println("skipping " + a.summary());
            }
        }
        System.out.println(String.join(",", usable));
    }
}
