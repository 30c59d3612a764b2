package cebm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTicksTest {
    private static List<String> labels(AxisTicks ticks) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ticks.count(); i++) {
            labels.add(ticks.label(i));
        }
        return labels;
    }

    @Test
    void roundsOutToMultiplesOfANiceStep() {
        AxisTicks ticks = AxisTicks.covering(3, 97, 5);
        assertEquals(List.of("0", "20", "40", "60", "80", "100"), labels(ticks));
        assertEquals(0, ticks.first());
        assertEquals(100, ticks.last());
    }

    @Test
    void usesAsManyDecimalsAsTheStepNeedsAndNeverMinusZero() {
        assertEquals(List.of("-0.02", "-0.01", "0.00", "0.01", "0.02", "0.03", "0.04", "0.05"), labels(AxisTicks.covering(-0.013, 0.042, 5)));
    }

    @Test
    void handlesNegativeRangesAndStepsOfFive() {
        assertEquals(List.of("-150", "-100", "-50", "0"), labels(AxisTicks.covering(-140, -2, 3)));
    }
}
