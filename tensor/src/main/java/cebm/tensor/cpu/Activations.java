package cebm.tensor.cpu;

/**
 * The backward pass of Swish on whole arrays, on vectors ({@link VectorActivations}) when the
 * Vector API is there and as a plain loop otherwise:
 * {@code out = g · swish'(z)} with {@code swish'(z) = σ(z)·(1 + z·(1 − σ(z)))}.
 * It runs once per conv layer per SGLD step over every activation, so it is worth one fused pass
 * in float instead of a map (swish') and a zip (the product), each calling {@code Math.exp} in double.
 */
final class Activations {
    private Activations() {}

    static void swishBackward(float[] g, float[] z, float[] out, int n) {
        int done = VectorApi.AVAILABLE ? VectorActivations.swishBackward(g, z, out, n) : 0;
        for (int i = done; i < n; i++) {
            float s = 1f / (1f + (float) Math.exp(-z[i]));
            out[i] = g[i] * s * (1f + z[i] * (1f - s));
        }
    }
}
