package cebm.autograd;

import cebm.tensor.Shape;
import cebm.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Relative-error comparison of tensors: ‖a − b‖ / ‖b‖, NaN never passes, first mismatches reported. */
final class Compare {
    private Compare() {}

    static void assertClose(String what, Tensor actual, Tensor expected, double tolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] a = actual.toArray(), b = expected.toArray();
        double diff = 0, norm = 0;
        StringBuilder first = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            diff += d * d;
            norm += (double) b[i] * b[i];
            if ((Double.isNaN(d) || Math.abs(d) > tolerance * (1 + Math.abs(b[i]))) && shown++ < 5) {
                first.append("\n  [").append(i).append("] ").append(a[i]).append(" vs ").append(b[i]);
            }
        }
        double relative = Math.sqrt(diff) / Math.max(Math.sqrt(norm), 1e-30);
        if (!(relative <= tolerance)) {
            fail(what + " " + Shape.show(actual.shape()) + ": relative error " + relative + " > " + tolerance + first);
        }
    }
}
