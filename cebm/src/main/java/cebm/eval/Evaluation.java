package cebm.eval;

import cebm.data.DataSets;
import cebm.data.Dataset;
import cebm.model.EnergyModel;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.train.Progress;
import cebm.train.Sgld;
import cebm.train.TrainConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The whole evaluation of a trained model (spec §3), stage by stage, with a progress bar for each long
 * stage: encode the labelled pool and the evaluation set, few-label classification, nearest-neighbour
 * agreement in latent and pixel space (leave-one-out within the evaluation set, and against the labelled
 * pool), OOD detection, posterior collapse, a PCA picture of the latent space, and a grid of SGLD samples.
 * {@link Report} turns the {@link Results} into files.
 *
 * <p><b>Which images.</b> The labelled pool is the training set; the evaluation set is the test set. When
 * the test set is small (under {@value #MIN_TEST} images, as with the 1000 CIFAR-10 test images this
 * project has) and the training set large (at least 4 × {@value #VALIDATION}), the last {@value #VALIDATION}
 * training images are carved off as a validation split and used as the evaluation set instead, and the pool
 * is the rest ({@code evalSet} validation carves them whatever the sizes). Those images were seen, without
 * labels, by the energy-based model during training (unless it was trained on another data set), but never
 * by a classifier; the report says so. OOD detection always uses the real test set as the in-distribution
 * side, because the model's density on its own training images would flatter it. Posterior collapse is
 * estimated, as in the paper, on training images: the first {@value PosteriorCollapse#TRAINING_IMAGES} of the
 * labelled pool. The limits take the first images of each set.
 *
 * <p><b>Determinism.</b> Every random choice (label draws, classifier shuffles, OOD images, posterior
 * samples, SGLD noise) comes from a generator seeded from {@link Options#seed}, so the same seed, model and
 * data give the same results.
 */
public final class Evaluation {
    /** A test set smaller than this is replaced by a validation split when {@code evalSet} is auto. */
    public static final int MIN_TEST = 5000;
    /** Size of the carved validation split (at most a fifth of the training set). */
    public static final int VALIDATION = 10_000;
    /** The name of the raw-pixel baseline (its nearest-neighbour agreement is the report's pixel-space row). */
    public static final String RAW_PIXELS = "raw pixels";
    private Evaluation() {}

    /**
     * @param seed         the seed of every random choice
     * @param testLimit    at most this many images of the evaluation set and of each OOD set (0: all)
     * @param trainLimit   at most this many images of the labelled pool (0: all)
     * @param samples      SGLD samples in the picture
     * @param sampleSteps  SGLD steps of the sample picture (0: no picture)
     * @param evalSet      auto, test or validation (see the class comment)
     * @param dataDir      where other data sets (for OOD pairs such as Fashion-MNIST vs MNIST) are looked for
     */
    public record Options(long seed, int testLimit, int trainLimit, int samples, int sampleSteps, String evalSet, Path dataDir,
            Classifier classifier, boolean baselines, Path baselineCache, boolean quiet, PrintStream out) {}

    /**
     * What a model must beat to count as having learned, computed by the same code on the same images:
     * few-label classification and nearest-neighbour agreement on other features than the model's latents.
     *
     * @param name     "raw pixels" or "untrained encoder (step 0)"
     * @param fewLabel the few-label settings, as for the model
     * @param nn       nearest-neighbour agreement on these features, both variants
     */
    public record Baseline(String name, List<FewLabelClassification.Setting> fewLabel, NearestNeighbourAgreement.Variants nn) {}

    /** Where baselines are kept between evaluations unless told otherwise. */
    public static Path defaultBaselineCache() {
        return BaselineCache.defaultFolder();
    }

    /** A set of images the evaluation used: its name and how many of its images. */
    public record SetUse(String name, int used, int available) {}

    /** Everything the evaluation found; {@link Report} writes it. */
    public record Results(
            String checkpoint, String model, String arch, String data, long trainedSteps, long seed,
            List<String> classNames,
            SetUse pool, SetUse evaluation, SetUse oodIn, String setNote,
            String classifier, List<FewLabelClassification.Setting> fewLabel, List<Baseline> baselines,
            NearestNeighbourAgreement.Variants nnLatent, NearestNeighbourAgreement.Variants nnPixel,
            List<OutOfDistribution.Pair> ood, List<String> oodNotes, Map<String, OutOfDistribution.Scores> oodScores,
            PosteriorCollapse.Result collapse, SetUse collapseImages, String collapseNote,
            LatentProjection.Result projection, int[] evaluationLabels,
            Tensor samples, int sampleSteps, float sgldStep, float sgldNoise) {}

    /**
     * Runs every stage.
     *
     * @param checkpoint   how the report names the checkpoint
     * @param data         the data set's name (the model's training set unless overridden)
     * @param split        that data set, loaded
     */
    public static Results run(EnergyModel model, TrainConfig config, long trainedSteps, String checkpoint, String data,
            DataSets.Split split, Options o) throws IOException {
        SplittableRandom seeds = new SplittableRandom(o.seed());
        long fewLabelSeed = seeds.nextLong(), oodSeed = seeds.nextLong(), collapseSeed = seeds.nextLong(), sampleSeed = seeds.nextLong();
        Stages stages = new Stages(o, 7 + (model.bias().isPresent() ? 1 : 0) + (o.sampleSteps() > 0 ? 1 : 0));

        Dataset train = split.train(), test = split.test();
        boolean carve = switch (o.evalSet()) {
            case "test" -> false;
            case "validation" -> true;
            case "auto" -> test.size() < MIN_TEST && train.size() >= 4 * VALIDATION;
            default -> throw new IllegalArgumentException("--eval-set must be auto, test or validation, got '" + o.evalSet() + "'");
        };
        int validation = Math.min(VALIDATION, train.size() / 5);
        Dataset pool = carve ? train.subset(0, train.size() - validation) : train;
        Dataset evaluation = carve ? train.subset(train.size() - validation, train.size()) : test;
        int[] poolRows = firstRows(pool.size(), o.trainLimit());
        int[] evalRows = firstRows(evaluation.size(), o.testLimit());
        int[] oodRows = firstRows(test.size(), o.testLimit());
        if (evalRows.length < 2 || poolRows.length < 1) {
            throw new IllegalArgumentException("the evaluation needs at least 2 evaluation images and 1 training image, got "
                    + evalRows.length + " and " + poolRows.length);
        }
        String setNote = carve ? validationNote(o.evalSet(), test.size(), validation, data, config.data())
                : "The evaluation set is the test set; the labelled pool is the training set.";
        List<String> classNames = classNames(data, train.classes());

        stages.next("encoding the labelled pool");
        int collapseRows = Math.min(PosteriorCollapse.TRAINING_IMAGES, poolRows.length);
        ModelPass.Encoded poolEncoded = ModelPass.encode(model, pool, poolRows, collapseRows, stages.bar(ModelPass.chunks(poolRows.length)));
        float[][] poolZ = poolEncoded.means();
        stages.done();
        stages.next("encoding the evaluation set");
        float[][] evalZ = ModelPass.encode(model, evaluation, evalRows, 0, stages.bar(ModelPass.chunks(evalRows.length))).means();
        stages.done();
        int[] poolY = pool.labels(poolRows), evalY = evaluation.labels(evalRows);

        stages.next("few-label classification (logistic regression)");
        List<FewLabelClassification.Setting> fewLabel = FewLabelClassification.run(o.classifier(), poolZ, poolY, evalZ, evalY,
                train.classes(), fewLabelSeed, stages.bar(FewLabelClassification.fits()));
        stages.done();

        stages.next("nearest neighbours in latent space");
        // Two searches per space: leave-one-out within the evaluation set, and against the labelled pool.
        int nnChunks = 2 * NearestNeighbourAgreement.chunks(evalRows.length);
        NearestNeighbourAgreement.Variants nnLatent = NearestNeighbourAgreement.variants(evalZ, evalY, poolZ, poolY,
                train.classes(), stages.bar(nnChunks));
        stages.done();

        // In pixel space the search against the pool is the costliest of the evaluation (10 000 × 60 000 images of
        // 784 pixels), so it belongs to the raw-pixel baseline, which is cached; without baselines it is done alone.
        float[][] evalPixels = ModelPass.pixels(evaluation, evalRows);
        List<Baseline> baselines = new ArrayList<>();
        NearestNeighbourAgreement.Variants nnPixel;
        if (o.baselines()) {
            stages.next("baselines: raw pixels and the untrained encoder (same seed, step 0)");
            Steps bar = stages.bar(ModelPass.chunks(poolRows.length) + ModelPass.chunks(evalRows.length)
                    + 2 * FewLabelClassification.fits() + 2 * nnChunks);
            BaselineCache cache = o.baselineCache() == null ? null : new BaselineCache(o.baselineCache());
            // The same seeds as the model's: the same label draws, so the columns compare draw for draw.
            String common = o.classifier().description() + "|draws " + FewLabelClassification.fits() + "|seed " + fewLabelSeed
                    + "|pool " + BaselineCache.images(pool, poolRows) + "|evaluation " + BaselineCache.images(evaluation, evalRows);
            baselines.add(cached(cache, RAW_PIXELS + "|" + common, () -> {
                float[][] poolPixels = ModelPass.pixels(pool, poolRows);
                return new Baseline(RAW_PIXELS, FewLabelClassification.run(o.classifier(), poolPixels, poolY, evalPixels, evalY,
                        train.classes(), fewLabelSeed, bar),
                        NearestNeighbourAgreement.variants(evalPixels, evalY, poolPixels, poolY, train.classes(), bar));
            }));
            String untrainedModel = String.join(" ", config.model(), config.arch(), "latent " + config.latent(), "components " + config.components(),
                    "learnBias " + config.learnBias(), "seed " + config.seed());
            baselines.add(cached(cache, "untrained encoder|" + untrainedModel + "|" + common, () -> {
                EnergyModel untrained = config.newModel();
                float[][] poolU = ModelPass.encode(untrained, pool, poolRows, 0, bar).means();
                float[][] evalU = ModelPass.encode(untrained, evaluation, evalRows, 0, bar).means();
                return new Baseline("untrained encoder (step 0)", FewLabelClassification.run(o.classifier(), poolU, poolY, evalU, evalY,
                        train.classes(), fewLabelSeed, bar), NearestNeighbourAgreement.variants(evalU, evalY, poolU, poolY, train.classes(), bar));
            }));
            nnPixel = baselines.get(0).nn(); // the raw-pixel baseline, added first
        } else {
            stages.next("nearest neighbours in pixel space");
            nnPixel = NearestNeighbourAgreement.variants(evalPixels, evalY, ModelPass.pixels(pool, poolRows), poolY, train.classes(),
                    stages.bar(nnChunks));
        }
        stages.done();

        stages.next("out-of-distribution scores (log p(x) and gradient norms)");
        List<Dataset> outliers = new ArrayList<>();
        List<String> outlierNames = new ArrayList<>();
        List<String> oodNotes = new ArrayList<>();
        crossDataSet(data, o.dataDir(), outliers, outlierNames, oodNotes);
        SplittableRandom oodRandom = new SplittableRandom(oodSeed);
        outliers.add(OutlierImages.constant(oodRows.length, test.channels(), test.height(), test.width(), oodRandom.nextLong()));
        outlierNames.add("Constant");
        outliers.add(OutlierImages.uniformNoise(oodRows.length, test.channels(), test.height(), test.width(), oodRandom.nextLong()));
        outlierNames.add("Uniform noise");
        for (String missing : PublishedResults.table1Sets(data)) {
            if (!outlierNames.contains(missing)) oodNotes.add(missing + ": not available in this project (no loader), so not evaluated.");
        }
        int total = ModelPass.chunks(oodRows.length);
        int[][] outRows = new int[outliers.size()][];
        for (int i = 0; i < outliers.size(); i++) {
            outRows[i] = firstRows(outliers.get(i).size(), oodRows.length);
            total += ModelPass.chunks(outRows[i].length);
        }
        Steps oodBar = stages.bar(total);
        Map<String, OutOfDistribution.Scores> scores = new LinkedHashMap<>();
        OutOfDistribution.Scores in = ModelPass.scores(model, test, oodRows, oodBar);
        scores.put("in-distribution (" + test.name() + ")", in);
        List<OutOfDistribution.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < outliers.size(); i++) {
            OutOfDistribution.Scores out = ModelPass.scores(model, outliers.get(i), outRows[i], oodBar);
            scores.put(outlierNames.get(i), out);
            pairs.add(OutOfDistribution.evaluate(outlierNames.get(i), in, out));
        }
        stages.done();

        PosteriorCollapse.Result collapse = null;
        String collapseNote;
        if (poolEncoded.posteriors() != null) {
            stages.next("posterior collapse (KL and mutual information) on the first " + collapseRows + " training images");
            PosteriorCollapse.Mixtures bias = ModelPass.bias(model);
            collapse = PosteriorCollapse.estimate(poolEncoded.posteriors(), bias, PosteriorCollapse.BATCH, collapseSeed,
                    stages.bar(PosteriorCollapse.batches(collapseRows, PosteriorCollapse.BATCH)));
            stages.done();
            collapseNote = collapse.batchSize() < PosteriorCollapse.BATCH
                    ? "Only " + collapse.batchSize() + " images: one batch of that size instead of batches of " + PosteriorCollapse.BATCH + "."
                    : null;
        } else {
            collapseNote = "Not applicable: the " + model.kind() + " has no posterior over a latent variable.";
        }

        stages.next("PCA of the latent means");
        LatentProjection.Result projection = LatentProjection.pca(evalZ);
        stages.done();

        Tensor samples = null;
        if (o.sampleSteps() > 0) {
            stages.next("SGLD samples (" + o.sampleSteps() + (o.sampleSteps() == 1 ? " step" : " steps") + " from uniform noise)");
            Steps bar = stages.bar(o.sampleSteps());
            samples = new Sgld(config.sgldStep(), config.sgldNoise())
                    .sampleFromNoise(model, o.samples(), o.sampleSteps(), new RandomStream(sampleSeed), () -> bar.advance("SGLD"));
            stages.done();
        }

        return new Results(checkpoint, model.kind(), model.architecture().name(), data, trainedSteps, o.seed(), classNames,
                new SetUse(pool.name(), poolRows.length, pool.size()), new SetUse(evaluation.name(), evalRows.length, evaluation.size()),
                new SetUse(test.name(), oodRows.length, test.size()), setNote,
                o.classifier().description(), fewLabel, baselines, nnLatent, nnPixel, pairs, oodNotes, scores, collapse,
                new SetUse(pool.name(), collapseRows, pool.size()), collapseNote, projection, evalY,
                samples, o.sampleSteps(), config.sgldStep(), config.sgldNoise());
    }

    /** What the report says of a carved validation split: why it was carved, and whether the model saw its images. */
    private static String validationNote(String evalSet, int testImages, int validation, String data, String trainedOn) {
        String why = evalSet.equals("validation") ? "As --eval-set validation asks, the"
                : "The test set has only " + testImages + " images, so the";
        String seen = data.equals(trainedOn) ? "The model saw them during training (without labels); the classifiers never did."
                : "The model was trained on " + trainedOn + ", so it never saw them; nor did the classifiers.";
        return why + " evaluation set (classification, nearest neighbours, projection) is a validation split carved from the "
                + "training set: its last " + validation + " images. " + seen + " OOD detection uses the real test set.";
    }

    /** The baseline kept under {@code key}, or computed (and kept, where there is a cache). */
    private static Baseline cached(BaselineCache cache, String key, java.util.function.Supplier<Baseline> compute) {
        if (cache != null) {
            var kept = cache.load(key);
            if (kept.isPresent()) return kept.get();
        }
        Baseline b = compute.get();
        if (cache != null) cache.save(key, b);
        return b;
    }

    /** Fashion-MNIST is compared with MNIST (paper Table 1) and, as an extra, MNIST with Fashion-MNIST, when the files are there. */
    private static void crossDataSet(String data, Path dataDir, List<Dataset> sets, List<String> names, List<String> notes) throws IOException {
        String other = switch (data) {
            case "fashion-mnist" -> "mnist";
            case "mnist" -> "fashion-mnist";
            default -> null;
        };
        if (other == null) return;
        try {
            sets.add(DataSets.load(other, dataDir).test());
            names.add(PublishedResults.paperDataSet(other));
        } catch (NoSuchFileException e) {
            notes.add(PublishedResults.paperDataSet(other) + ": not found under " + dataDir + ", so not evaluated (" + e.getFile() + ").");
        }
    }

    /** The class names of the known data sets, else "0", "1", .... */
    static List<String> classNames(String data, int classes) {
        List<String> names = switch (data) {
            case "fashion-mnist" -> List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
            case "cifar10" -> List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
            default -> null;
        };
        if (names != null && names.size() == classes) return names;
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    private static int[] firstRows(int available, int limit) {
        int n = limit > 0 ? Math.min(limit, available) : available;
        return IntStream.range(0, n).toArray();
    }

    /** Numbered stage headings and their progress bars; silent when quiet. */
    private static final class Stages {
        private final Options o;
        private final int count;
        private int current;
        private Progress bar;

        Stages(Options o, int count) {
            this.o = o;
            this.count = count;
        }

        private long started;

        void next(String what) {
            current++;
            started = System.nanoTime();
            if (!o.quiet()) o.out().printf("[%d/%d] %s%n", current, count, what);
        }

        /** A bar for {@code total} units of work; each {@link Steps#advance} moves it on by one. */
        Steps bar(int total) {
            bar = new Progress(o.out(), o.quiet(), 0, Math.max(1, total));
            return Steps.on(bar);
        }

        void done() {
            if (bar != null) bar.finish();
            bar = null;
            if (!o.quiet()) o.out().printf("      %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
    }
}
