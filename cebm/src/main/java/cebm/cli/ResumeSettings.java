package cebm.cli;

import cebm.train.TrainConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What `train --resume` may change. Settings that define the network, its data or what the
 * checkpoint holds (architecture, model, data, batch, latent size, replay buffer, seed) are the
 * run's own: changing one would make the checkpoint a different run's, so it is refused. The rest
 * (the step target, learning rate, SGLD settings, intervals, divergence handling) may change from
 * one stretch of training to the next, and each change is named in one line.
 */
final class ResumeSettings {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One setting that differs: its name and both values. */
    record Change(String setting, String before, String after) {
        String option() {
            return TrainConfig.option(setting);
        }

        @Override
        public String toString() {
            return option() + " " + before + " -> " + after;
        }
    }

    private ResumeSettings() {}

    /** Every setting whose value differs between the run's configuration and the requested one, in field order. */
    static List<Change> changes(TrainConfig run, TrainConfig requested) {
        JsonNode before = JSON.valueToTree(run), after = JSON.valueToTree(requested);
        List<Change> out = new ArrayList<>();
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!before.get(name).equals(after.get(name))) {
                out.add(new Change(name, before.get(name).asText(), after.get(name).asText()));
            }
        }
        return out;
    }

    /**
     * Checks the requested changes and returns them; a change of one of {@link TrainConfig#RUN_SETTINGS} is refused
     * with a message that names each and its value in the run.
     */
    static List<Change> allowed(TrainConfig run, TrainConfig requested) {
        List<Change> changes = changes(run, requested), refused = new ArrayList<>();
        for (Change c : changes) if (TrainConfig.RUN_SETTINGS.contains(c.setting())) refused.add(c);
        if (!refused.isEmpty()) {
            List<String> what = refused.stream().map(c -> c.option() + " (the run has " + c.before() + ")").toList();
            throw new Main.UsageError("a resumed run keeps its " + String.join(", ", what)
                    + "; start a new run with --out to change " + (refused.size() == 1 ? "it" : "them"));
        }
        return changes;
    }
}
