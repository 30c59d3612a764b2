package cebm.kernels;

import cebm.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares a kernel's result with the CPU backend's: the relative error ‖a − b‖ / ‖b‖ (in double)
 * must be at most the tolerance, and a NaN anywhere fails, whatever the norm says. A failure
 * prints the first mismatching elements with their index and both values.
 */
final class Compare {
    private Compare() {}

    static void close(String what, Tensor expected, Tensor actual, double tolerance) {
        if (!java.util.Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape()));
        }
        close(what, expected.toArray(), actual.toArray(), tolerance);
    }

    // region close
    static void close(String what, float[] expected, float[] actual, double tolerance) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            diff += d * d;
            norm += (double) expected[i] * expected[i];
        }
        double relative = Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
        boolean nan = hasNaN(actual) || hasNaN(expected);
        if (nan || !(relative <= tolerance)) {
            fail(what + ": relative error " + relative + " (tolerance " + tolerance + ")" + (nan ? ", NaN present" : "")
                    + firstMismatches(expected, actual, tolerance));
        }
    }
    // endregion

    private static boolean hasNaN(float[] a) {
        for (float v : a) if (Float.isNaN(v)) return true;
        return false;
    }

    private static String firstMismatches(float[] expected, float[] actual, double tolerance) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < expected.length && shown < 8; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            if (Float.isNaN(actual[i]) || Math.abs(actual[i] - expected[i]) > tolerance * scale) {
                s.append("\n  [").append(i).append("] cuda ").append(actual[i]).append(", cpu ").append(expected[i]);
                shown++;
            }
        }
        return s.toString();
    }
}
