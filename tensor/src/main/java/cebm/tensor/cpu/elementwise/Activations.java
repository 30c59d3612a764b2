package cebm.tensor.cpu.elementwise;

import cebm.tensor.cpu.parallel.VectorApi;

import java.util.stream.IntStream;

/**
 * The backward pass of Swish on whole arrays, on vectors ({@link VectorActivations}) when the
 * Vector API is there and as a plain loop otherwise:
 * {@code out = g · swish'(z)} with {@code swish'(z) = σ(z)·(1 + z·(1 − σ(z)))}.
 * It runs once per conv layer per SGLD step over every activation, so it is worth one fused pass
 * in float instead of a map (swish') and a zip (the product), each calling {@code Math.exp} in
 * double; and large enough (6.4 M elements on the first layer at batch 128) to split over the cores.
 */
public final class Activations {
    /** Elements per parallel chunk: a multiple of every vector length, large enough to amortise a task. */
    private static final int CHUNK = 1 << 16;

    private Activations() {}

    public static void swishBackward(float[] g, float[] z, float[] out, int n) {
        IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
            int from = c * CHUNK, to = Math.min(n, from + CHUNK);
            int done = VectorApi.AVAILABLE ? VectorActivations.swishBackward(g, z, out, from, to) : from;
            for (int i = done; i < to; i++) out[i] = g[i] * swishDerivative(z[i]);
        });
    }

    /** {@code swish'(z) = σ(z)·(1 + z·(1 − σ(z)))}, one element at a time. */
    public static float swishDerivative(float z) {
        float s = 1f / (1f + (float) Math.exp(-z));
        return s * (1f + z * (1f - s));
    }
}
