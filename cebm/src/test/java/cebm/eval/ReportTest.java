package cebm.eval;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReportTest {
    private static Map<String, Boolean> verdicts(boolean one, boolean ten, boolean full) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("1", one);
        m.put("10", ten);
        m.put("full", full);
        return m;
    }

    @Test
    void theVerdictNamesTheSettingsWhereTheModelBeatsTheBaselinesAndWhereNot() {
        assertEquals("**Learned:** the model beats every baseline in every setting.", Report.learnedSentence(verdicts(true, true, true)));
        assertEquals("**Not learned:** the model beats the baselines in no setting (labels per class: 1, 10, full).",
                Report.learnedSentence(verdicts(false, false, false)));
        assertEquals("**Learned in part:** the model beats every baseline at 10, full labels per class, and not at 1.",
                Report.learnedSentence(verdicts(false, true, true)));
    }
}
