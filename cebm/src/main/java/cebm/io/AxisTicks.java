package cebm.io;

import java.util.Locale;

/**
 * "Nice" tick positions for a plot axis: multiples of 1, 2 or 5 times a power of ten, spanning the data.
 *
 * <p>Ticks at round numbers are what a reader expects on an axis (0, 20, 40 rather than 0, 17.3, 34.6), and
 * letting the axis end on a tick means every plotted value lies between two labels.
 */
final class AxisTicks {
    private final double first;
    private final double step;
    private final int count;

    private AxisTicks(double first, double step, int count) {
        this.first = first;
        this.step = step;
        this.count = count;
    }

    /** About {@code target} ticks covering {@code [min, max]}, which must be finite with {@code min < max}. */
    static AxisTicks covering(double min, double max, int target) {
        double rough = (max - min) / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        double step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
        double first = Math.floor(min / step) * step;
        int count = (int) Math.round((Math.ceil(max / step) * step - first) / step) + 1;
        return new AxisTicks(first, step, count);
    }

    int count() {
        return count;
    }

    double value(int i) {
        return first + i * step;
    }

    double first() {
        return first;
    }

    double last() {
        return value(count - 1);
    }

    /** The label of tick {@code i}, with as many decimals as the step needs and no "-0". */
    String label(int i) {
        double value = value(i);
        if (Math.abs(value) < step / 2) {
            value = 0;
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
