package cebm.cli;

import cebm.data.SampleFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static cebm.cli.CommandLineTest.assertUsageError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cebm eval} end to end: tiny models trained for 2 steps on the embedded data, evaluated with small limits. */
class EvalCommandTest {
    @TempDir
    static Path dir;

    private static Path train(String model) {
        return CommandLineTest.tinyRun(dir.resolve("run-" + model), model);
    }

    private static String[] eval(Path run, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("eval", "--quiet", "--checkpoint", run.toString(), "--out", out.toString(),
                "--test-limit", "24"));
        args.addAll(List.of(more));
        if (!args.contains("--seed")) args.addAll(List.of("--seed", "5"));
        if (!args.contains("--train-limit")) args.addAll(List.of("--train-limit", "100"));
        if (!args.contains("--baseline-cache")) args.addAll(List.of("--baseline-cache", dir.resolve("baselines").toString()));
        if (!args.contains("--sample-steps")) args.addAll(List.of("--sample-steps", "2", "--samples", "4"));
        return args.toArray(String[]::new);
    }

    private static Path cebmRun;

    @BeforeAll
    static void trainACebm() {
        cebmRun = train("cebm");
    }

    @Test
    void writesTheWholeReportAndTheSameSeedGivesTheSameResults() throws Exception {
        Path a = dir.resolve("eval-a"), b = dir.resolve("eval-b");
        assertEquals(0, Main.execute(eval(cebmRun, a)));
        // The second run asks for cuda: the evaluation runs on the CPU all the same, so its files are identical.
        assertEquals(0, Main.execute(eval(cebmRun, b, "--device", "cuda")), "runs on the CPU, and says so");
        for (String f : List.of("report.md", "results.json", "few-label.csv", "nn-latent.csv", "nn-latent.png", "nn-latent-train.csv",
                "nn-latent-train.png", "nn-pixel.csv", "nn-pixel.png", "nn-pixel-train.csv", "nn-pixel-train.png", "ood.csv", "ood-scores.csv", "posterior-collapse.csv", "latent-pca.csv", "latent-pca.png", "samples.png")) {
            assertTrue(Files.size(a.resolve(f)) > 0, f);
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("results.json")), Files.readAllBytes(b.resolve("results.json")));
        assertEquals(Files.readString(a.resolve("report.md")), Files.readString(b.resolve("report.md")));
        try (var files = Files.list(a)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }

        JsonNode r = new ObjectMapper().readTree(a.resolve("results.json").toFile());
        assertEquals("cebm", r.at("/run/model").asText());
        assertEquals(2, r.at("/run/trainedSteps").asInt());
        assertEquals(24, r.at("/sets/evaluation/used").asInt());
        JsonNode settings = r.at("/fewLabelClassification/settings");
        assertEquals(4, settings.size());
        assertEquals(30, settings.get(0).get("accuracies").size(), "one label per class: 30 draws");
        assertEquals(10, settings.get(1).get("accuracies").size());
        assertTrue(settings.get(2).has("skipped"), "100 training images hold 10 per class, not 100");
        assertTrue(r.at("/fewLabelClassification/classifier").asText().contains("liblinear"), "the authors' classifier by default");
        for (String baseline : List.of("raw pixels", "untrained encoder (step 0)")) {
            JsonNode base = r.at("/fewLabelClassification/baselines").get(baseline);
            assertEquals(4, base.get("settings").size(), baseline);
            assertEquals(30, base.get("settings").get(0).get("accuracies").size(), baseline);
            for (String variant : List.of("leaveOneOut", "againstTraining")) {
                assertTrue(base.at("/nearestNeighbour/" + variant + "/meanDiagonal").isNumber(), baseline + " " + variant);
            }
        }
        assertEquals(List.of("1", "10", "full"), iterable(r.at("/fewLabelClassification/learned").fieldNames()),
                "a verdict for every setting that was not skipped");
        assertEquals("against the 100 labelled training images (" + r.at("/sets/labelledPool/name").asText() + ")",
                r.at("/nearestNeighbourAgreement/references/againstTraining").asText());
        assertTrue(r.at("/nearestNeighbourAgreement/references/leaveOneOut").asText().startsWith("leave-one-out within the 24 evaluation images"));
        for (String variant : List.of("leaveOneOut", "againstTraining")) {
            double diag = r.at("/nearestNeighbourAgreement/latent/" + variant + "/meanDiagonal").asDouble();
            assertTrue(diag >= 0 && diag <= 1, variant);
            for (JsonNode row : r.at("/nearestNeighbourAgreement/pixel/" + variant + "/confusion")) {
                double sum = 0;
                for (JsonNode v : row) sum += v.asDouble();
                assertEquals(1, sum, 1e-9, variant);
            }
        }
        JsonNode pairs = r.at("/outOfDistribution/pairs");
        assertEquals(List.of("Constant", "Uniform noise"), List.of(pairs.get(0).get("outOfDistribution").asText(), pairs.get(1).get("outOfDistribution").asText()));
        assertTrue(r.at("/outOfDistribution/convention").asText().contains("in-distribution"));
        assertTrue(Double.isFinite(r.at("/posteriorCollapse/kl").asDouble()));
        assertEquals(100, r.at("/posteriorCollapse/batchSize").asInt(), "on the 100 training images, not the 24 test images");
        assertTrue(r.at("/posteriorCollapse/images").asText().startsWith("the first 100 training images"));
        String md = Files.readString(a.resolve("report.md"));
        assertTrue(md.contains("## Few-label classification") && md.contains("Sign convention") && md.contains("## Posterior collapse"), md);
        assertTrue(md.contains("leave-one-out within the 24 evaluation images") && md.contains("against the 100 labelled training images"), md);
        assertTrue(md.contains("| baseline: raw pixels |") && md.contains("| baseline: untrained encoder (step 0) |") && md.contains("earned"), md);
        assertTrue(Files.readString(a.resolve("few-label.csv")).contains("\nraw pixels,10,0,"), "baselines' draws in the CSV");
    }

    @Test
    void baselinesAreKeptAndReadBackNotComputedAgain() throws Exception {
        Path cache = dir.resolve("kept-baselines");
        assertEquals(0, Main.execute(eval(cebmRun, dir.resolve("eval-c1"), "--baseline-cache", cache.toString())));
        List<Path> kept;
        try (var files = Files.list(cache)) {
            kept = files.toList();
        }
        assertEquals(2, kept.size(), "raw pixels and the untrained encoder");
        // A kept number, changed on purpose, shows up in the next report: it was read, not computed.
        ObjectMapper json = new ObjectMapper();
        for (Path f : kept) {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(f.toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("fewLabel").get(3)).put("mean", 0.5);
            Files.writeString(f, json.writeValueAsString(node));
        }
        Path second = dir.resolve("eval-c2");
        assertEquals(0, Main.execute(eval(cebmRun, second, "--baseline-cache", cache.toString())));
        JsonNode r = json.readTree(second.resolve("results.json").toFile());
        for (String baseline : List.of("raw pixels", "untrained encoder (step 0)")) {
            assertEquals(0.5, r.at("/fewLabelClassification/baselines").get(baseline).get("settings").get(3).get("mean").asDouble(), baseline);
        }
        // Another seed draws other labels: other baselines.
        assertEquals(0, Main.execute(eval(cebmRun, dir.resolve("eval-c3"), "--baseline-cache", cache.toString(), "--seed", "6")));
        try (var files = Files.list(cache)) {
            assertEquals(4, files.count());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void theClassifierAndTheBaselinesAreOptions() throws Exception {
        Path sgd = dir.resolve("eval-sgd");
        assertEquals(0, Main.execute(eval(cebmRun, sgd, "--classifier", "sgd", "--no-baselines")));
        JsonNode r = new ObjectMapper().readTree(sgd.resolve("results.json").toFile());
        assertTrue(r.at("/fewLabelClassification/classifier").asText().contains("Tribuo"));
        assertEquals(0, r.at("/fewLabelClassification/baselines").size());
        assertFalse(Files.readString(sgd.resolve("report.md")).contains("baseline:"));
        assertEquals(2, Main.execute(eval(cebmRun, dir.resolve("eval-bad"), "--classifier", "svm")));
        assertFalse(Files.exists(dir.resolve("eval-bad")), "nothing written on a usage error");
    }

    @Test
    void theMixtureAndTheIgebmAreEvaluatedToo() throws Exception {
        Path gmm = dir.resolve("eval-gmm");
        assertEquals(0, Main.execute(eval(train("gmm-cebm"), gmm, "--sample-steps", "0", "--train-limit", "30")));
        JsonNode r = new ObjectMapper().readTree(gmm.resolve("results.json").toFile());
        assertTrue(r.at("/posteriorCollapse/kl").isNumber());
        assertFalse(Files.exists(gmm.resolve("samples.png")));

        Path igebm = dir.resolve("eval-igebm");
        Files.createDirectories(igebm);
        Files.writeString(igebm.resolve("posterior-collapse.csv"), "stale");
        assertEquals(0, Main.execute(eval(train("igebm"), igebm, "--sample-steps", "0", "--train-limit", "30")));
        r = new ObjectMapper().readTree(igebm.resolve("results.json").toFile());
        assertTrue(r.at("/posteriorCollapse/note").asText().startsWith("Not applicable"));
        assertFalse(Files.exists(igebm.resolve("posterior-collapse.csv")), "a stale file of an earlier report is removed");
        assertTrue(Files.readString(igebm.resolve("report.md")).contains("n/a"));
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2AndWriteNothing() {
        Path out = dir.resolve("never");
        assertUsageError("no checkpoint", "eval", "--checkpoint", dir.resolve("none").toString(), "--out", out.toString());
        assertUsageError("--eval-set", "eval", "--checkpoint", cebmRun.toString(), "--eval-set", "train", "--out", out.toString());
        assertUsageError("--test-limit", "eval", "--checkpoint", cebmRun.toString(), "--test-limit", "1", "--out", out.toString());
        assertUsageError("--train-limit", "eval", "--checkpoint", cebmRun.toString(), "--train-limit", "-3", "--out", out.toString());
        assertUsageError("--baseline-cache", "eval", "--checkpoint", cebmRun.toString(), "--baseline-cache",
                cebmRun.resolve("config.json").toString(), "--out", out.toString());
        assertUsageError("unknown data set", "eval", "--checkpoint", cebmRun.toString(), "--data", "svhn", "--out", out.toString());
        assertUsageError("train-images", "eval", "--checkpoint", cebmRun.toString(), "--data", "mnist", "--data-dir",
                dir.resolve("nowhere").toString(), "--out", out.toString());
        assertFalse(Files.exists(out));
    }

    /** The model's architecture is fixed: the message names what eval and encode can change, the data, not --arch. */
    @Test
    void dataOfTheWrongShapeAsksForOtherData() throws Exception {
        Path cifar = dir.resolve("cifar-data");
        SampleFiles.writeCifar10(cifar, 2, 2);
        String expected = "the model was trained on synthetic; give --data a data set of 1x28x28 images, or leave --data out";
        assertUsageError(expected, "eval", "--checkpoint", cebmRun.toString(), "--data", "cifar10", "--data-dir", cifar.toString(),
                "--out", dir.resolve("never").toString());
        assertUsageError(expected, "encode", "--checkpoint", cebmRun.toString(), "--data", "cifar10", "--data-dir", cifar.toString(),
                "--out", dir.resolve("never.csv").toString());
        assertFalse(Files.exists(dir.resolve("never.csv")));
    }

    /** The report says why the evaluation images are a validation split, and whether the model saw them. */
    @Test
    void theValidationNoteSaysWhyAndWhetherTheModelSawTheImages() throws Exception {
        Path own = dir.resolve("eval-validation");
        assertEquals(0, Main.execute(eval(cebmRun, own, "--eval-set", "validation", "--no-baselines", "--sample-steps", "0")));
        String note = new ObjectMapper().readTree(own.resolve("results.json").toFile()).at("/sets/note").asText();
        assertTrue(note.startsWith("As --eval-set validation asks, the evaluation set"), note);
        assertTrue(note.contains("The model saw them during training"), note);

        Path mnist = dir.resolve("mnist-data"), other = dir.resolve("eval-other-data");
        SampleFiles.writeMnist(mnist, 50, 24);
        assertEquals(0, Main.execute(eval(cebmRun, other, "--eval-set", "validation", "--no-baselines", "--sample-steps", "0",
                "--data", "mnist", "--data-dir", mnist.toString())));
        note = new ObjectMapper().readTree(other.resolve("results.json").toFile()).at("/sets/note").asText();
        assertTrue(note.contains("The model was trained on synthetic, so it never saw them"), note);
        assertFalse(note.contains("saw them during training"), note);
    }
}
