package cebm.cli;

import cebm.data.DataSets;
import cebm.eval.Classifier;
import cebm.eval.Evaluation;
import cebm.eval.PosteriorCollapse;
import cebm.eval.Report;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.train.Checkpoint;
import cebm.train.Progress;
import cebm.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates what a trained model has learned (the paper's Tables 1-3).",
                "By the protocols of Wu et al., ICML 2021.",
                "Writes a report folder: report.md beside the paper's Tables 1-3,",
                "results.json, CSV files and PNG pictures.",
                "- few-label classification: logistic regression on posterior means,",
                "  1/10/100 labels per class (30/10/10 draws) and the whole training set,",
                "  beside the same on raw pixels and on the untrained encoder;",
                "- nearest-neighbour agreement in latent and pixel space, leave-one-out",
                "  within the test set and against the training images;",
                "- OOD detection: AUROC of log p(x) and of -||grad_x log p(x)||",
                "  (positive class = in-distribution; higher score = more in-distribution);",
                "- posterior collapse: KL(aggregate posterior || bias) and I(x; z)",
                "  on the first " + PosteriorCollapse.TRAINING_IMAGES + " training images;",
                "- a PCA picture of the latent space and a grid of SGLD samples.",
                "The same seed gives the same results.json."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    TrainedModelOptions source;
    @Option(names = "--out", description = "Report folder (default: RUN/eval, next to the checkpoint).")
    Path out;
    @Option(names = "--seed", description = "Seed of every random choice of the evaluation. Default: ${DEFAULT-VALUE}.")
    long seed = 1;
    @Option(names = "--test-limit", description = "Use at most this many evaluation (and OOD) images; 0: all. Default: ${DEFAULT-VALUE}.")
    int testLimit = 0;
    @Option(names = "--train-limit", description = "Use at most this many labelled training images; 0: all. Default: ${DEFAULT-VALUE}.")
    int trainLimit = 0;
    @Option(names = "--eval-set", description = "auto, test or validation: what the classifiers are tested on. auto uses a "
            + "validation split carved from the training set when the test set has under 5000 images (CIFAR-10 here). Default: ${DEFAULT-VALUE}.")
    String evalSet = "auto";
    @Option(names = "--classifier", description = "The few-label classifier: liblinear (the authors' protocol: L2-regularised "
            + "logistic regression, one-vs-rest, C = 1, on the raw latent means, as scikit-learn's LogisticRegression(solver='liblinear')) "
            + "or sgd (multinomial logistic regression by AdaGrad on centred, rescaled latents; not comparable with the paper). "
            + "Default: ${DEFAULT-VALUE}.")
    String classifier = "liblinear";
    @Option(names = "--baselines", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Also score raw pixels and the untrained encoder (the same "
            + "architecture and seed at step 0) by the same classifiers; a model has learned where it beats both. Default: on.")
    boolean baselines = true;
    @Option(names = "--baseline-cache", description = "Folder that keeps the baselines between evaluations (they do not depend "
            + "on the trained parameters; the raw-pixel fit on a whole training set takes many minutes). Default: "
            + "$XDG_CACHE_HOME/cebm/baselines or ~/.cache/cebm/baselines.")
    Path baselineCache;
    @Option(names = "--samples", description = "SGLD samples in the picture. Default: ${DEFAULT-VALUE}.")
    int samples = 64;
    @Option(names = "--sample-steps", description = "SGLD steps of the sample picture; 0: no samples. Default: ${DEFAULT-VALUE}.")
    int sampleSteps = 500;
    @Option(names = "--device", description = "cpu (default), cuda or reference; the evaluation runs on the CPU either way (and says so).")
    String device = "cpu";
    @Option(names = {"-q", "--quiet"}, description = "No progress (errors still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        checkDevice();
        if (testLimit < 0 || testLimit == 1) throw new Main.UsageError("--test-limit must be 0 (all) or ≥ 2, got " + testLimit);
        if (trainLimit < 0) throw new Main.UsageError("--train-limit must be ≥ 0 (0: all), got " + trainLimit);
        if (samples <= 0) throw new Main.UsageError("--samples must be > 0, got " + samples);
        if (sampleSteps < 0) throw new Main.UsageError("--sample-steps must be ≥ 0, got " + sampleSteps);
        if (!List.of("auto", "test", "validation").contains(evalSet)) {
            throw new Main.UsageError("--eval-set must be auto, test or validation, got '" + evalSet + "'");
        }
        if (!Classifier.NAMES.contains(classifier)) {
            throw new Main.UsageError("--classifier must be one of " + String.join(", ", Classifier.NAMES) + ", got '" + classifier + "'");
        }
        Path file = source.checkpointFile();
        Path folder = out != null ? out : file.toAbsolutePath().getParent().resolve("eval");
        OutputPaths.checkFolder("--out", folder, "the report");
        if (baselines && baselineCache != null) OutputPaths.checkFolder("--baseline-cache", baselineCache, "the baselines");
        TrainConfig config = Checkpoint.config(file);
        EnergyModel model = Checkpoint.loadModel(file);
        String dataName = source.dataName();
        DataSets.Split split = source.loadDataFor(model);
        Architecture a = model.architecture();
        if (!quiet) {
            System.out.printf("evaluating %s (%s) from %s on %s; report folder %s%n", model.kind(), a.name(), file, dataName, folder);
        }
        long started = System.nanoTime();
        Evaluation.Results results = Evaluation.run(model, config, Checkpoint.step(file), source.checkpoint.toString(), dataName, split,
                new Evaluation.Options(seed, testLimit, trainLimit, samples, sampleSteps, evalSet, source.dataDir,
                        Classifier.named(classifier), baselines, baselineCache != null ? baselineCache : Evaluation.defaultBaselineCache(),
                        quiet, System.out));
        Report.write(folder, results);
        if (!quiet) {
            System.out.printf("done in %s: %s%n", Progress.clock((System.nanoTime() - started) / 1e9),
                    folder.resolve(Report.MARKDOWN));
        }
        return 0;
    }

    /**
     * The evaluation's passes are host-side loops over chunks that read every result back, and it
     * runs on the CPU; asking for cuda is not an error, but it is said, so no one expects a GPU run.
     */
    private void checkDevice() {
        if ("cpu".equals(device)) return;
        if (!"cuda".equals(device)) throw new Main.UsageError("--device must be cpu or cuda, got '" + device + "'");
        System.out.println("cebm eval: the evaluation runs on the CPU (--device cuda serves train and sample)");
    }
}
