package cebm.eval;

import cebm.data.Dataset;
import cebm.data.SyntheticDigits;
import cebm.train.Progress;
import cebm.train.TrainConfig;
import cebm.train.Trainer;
import cebm.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningProbeTest {
    private static final Dataset TRAIN = SyntheticDigits.train(300, 1);
    private static final Dataset TEST = SyntheticDigits.test(60, 1);

    @Test
    void theProbeIsWrittenEveryIntervalAndAtTheEndAndShownInTheProgressLine(@TempDir Path dir) throws Exception {
        TrainConfig c = TrainConfig.preset("quick");
        c = c.with("batch", 6);
        c = c.with("steps", 5);
        c = c.with("sgldSteps", 2);
        c = c.with("bufferSize", 40);
        c = c.with("logEvery", 1);
        c = c.with("sampleSteps", 2);
        c = c.with("probeEvery", 2);
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(shown), false, 0, c.steps());
        new TrainingRun(new Trainer(c, c.newModel(), TRAIN), TEST, dir, progress).withProbe(new LearningProbe(TRAIN, TEST)).run();

        List<String> lines = Files.readAllLines(dir.resolve(TrainingRun.PROBE_CSV));
        assertEquals("step,accuracy_10_labels,accuracy_100_labels,buffer_confidence,buffer_classes,noise_confidence,noise_classes",
                lines.get(0));
        assertEquals(List.of("2", "4", "5"), lines.subList(1, lines.size()).stream().map(l -> l.split(",")[0]).toList());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            for (int j = 1; j < f.length; j++) {
                double v = Double.parseDouble(f[j]);
                assertTrue(v >= 0 && v <= 1, line);
            }
            assertTrue(Double.parseDouble(f[1]) > 0.1, "a linear probe on any encoder beats chance (10 classes): " + line);
        }
        assertTrue(Files.size(dir.resolve("probe.png")) > 0);
        assertTrue(shown.toString().contains("probe "), "the progress line shows the probe");
    }

    @Test
    void theFixedSubsetsTakeTheFirstImagesOfEachClass() {
        Dataset d = Dataset.of("d", 1, 1, 1, 3, new float[9], new int[] {2, 0, 0, 1, 2, 0, 1, 1, 2});
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6}, LearningProbe.firstOfEachClass(d, 2));
    }
}
