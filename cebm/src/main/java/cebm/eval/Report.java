package cebm.eval;

import cebm.io.AtomicFiles;
import cebm.io.HeatMap;
import cebm.io.ImageGrid;
import cebm.io.ScatterPlot;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes an evaluation's {@link Evaluation.Results} as a report folder, every file atomically
 * ({@link AtomicFiles}):
 * <pre>
 *   report.md                 the tables, beside the paper's, and the pictures
 *   results.json              every number of the report (no timings, so the same seed gives the same file)
 *   few-label.csv             features (model or a baseline), setting, draw, accuracy
 *   nn-latent.csv/.png        row-normalised nearest-neighbour confusion matrix in latent space, leave-one-out
 *                             within the evaluation set, and its heat map
 *   nn-latent-train.csv/.png  the same against the labelled training images
 *   nn-pixel.csv/.png         leave-one-out in pixel space
 *   nn-pixel-train.csv/.png   pixel space against the labelled training images
 *   ood.csv                   AUROC of each OOD pair
 *   ood-scores.csv            every image's log p(x) and ‖∇x log p(x)‖
 *   posterior-collapse.csv    KL and MI of each batch (CEBMs only)
 *   latent-pca.csv/.png       the 2-D PCA projection of the latent means, coloured by class
 *   samples.png               SGLD samples from uniform noise (unless --sample-steps 0)
 * </pre>
 * results.json and report.md are written last, so their presence means the report is complete.
 */
public final class Report {
    public static final String MARKDOWN = "report.md";
    public static final String JSON = "results.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {}

    /** Writes every file of the report into {@code folder} (created if missing). */
    public static void write(Path folder, Evaluation.Results r) throws IOException {
        List<String> indices = IntStream.range(0, r.classNames().size()).mapToObj(Integer::toString).toList();
        writeText(folder.resolve("few-label.csv"), fewLabelCsv(r));
        writeConfusion(folder, "nn-latent", "Nearest neighbour in latent space, leave-one-out", r.nnLatent().leaveOneOut(), indices);
        writeConfusion(folder, "nn-latent-train", "Nearest training image in latent space", r.nnLatent().againstTraining(), indices);
        writeConfusion(folder, "nn-pixel", "Nearest neighbour in pixel space, leave-one-out", r.nnPixel().leaveOneOut(), indices);
        writeConfusion(folder, "nn-pixel-train", "Nearest training image in pixel space", r.nnPixel().againstTraining(), indices);
        writeText(folder.resolve("ood.csv"), oodCsv(r));
        writeText(folder.resolve("ood-scores.csv"), oodScoresCsv(r));
        // A file this report does not have must not survive from an earlier report in the same folder.
        if (r.collapse() != null) writeText(folder.resolve("posterior-collapse.csv"), collapseCsv(r.collapse()));
        else Files.deleteIfExists(folder.resolve("posterior-collapse.csv"));
        writeText(folder.resolve("latent-pca.csv"), pcaCsv(r));
        LatentProjection.Result p = r.projection();
        new ScatterPlot("Latent means of " + r.evaluation().name() + ", PCA", "PC 1 (" + pct(p.explainedVariance()[0]) + " of variance)",
                "PC 2 (" + pct(p.explainedVariance()[1]) + ")", r.classNames())
                .write(folder.resolve("latent-pca.png"), p.x(), p.y(), r.evaluationLabels());
        if (r.samples() != null) ImageGrid.write(folder.resolve("samples.png"), r.samples(), 8);
        else Files.deleteIfExists(folder.resolve("samples.png"));
        AtomicFiles.write(folder.resolve(JSON), MAPPER.writeValueAsBytes(json(r)));
        writeText(folder.resolve(MARKDOWN), markdown(r));
    }

    /** A nearest-neighbour confusion matrix as {@code name.csv} and as a heat map {@code name.png}. */
    private static void writeConfusion(Path folder, String name, String title, NearestNeighbourAgreement.Result n, List<String> indices)
            throws IOException {
        writeText(folder.resolve(name + ".csv"), confusionCsv(n));
        new HeatMap(title + " (mean diagonal " + f2(n.meanDiagonal()) + ")", "true class", "neighbour's class", indices)
                .write(folder.resolve(name + ".png"), n.confusion());
    }

    /** How the report names the nearest-neighbour search within the evaluation set. */
    static String leaveOneOutName(Evaluation.Results r) {
        return "leave-one-out within the " + r.evaluation().used() + " evaluation images (" + r.evaluation().name() + ")";
    }

    /** How the report names the nearest-neighbour search among the labelled training images. */
    static String againstTrainingName(Evaluation.Results r) {
        return "against the " + r.pool().used() + " labelled training images (" + r.pool().name() + ")";
    }

    // ---- results.json ----

    /** Every number of the report as nested maps, in a fixed order. */
    static Map<String, Object> json(Evaluation.Results r) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("checkpoint", r.checkpoint());
        run.put("model", r.model());
        run.put("arch", r.arch());
        run.put("data", r.data());
        run.put("trainedSteps", r.trainedSteps());
        run.put("seed", r.seed());
        root.put("run", run);
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("labelledPool", r.pool());
        sets.put("evaluation", r.evaluation());
        sets.put("oodInDistribution", r.oodIn());
        sets.put("note", r.setNote());
        sets.put("classNames", r.classNames());
        root.put("sets", sets);

        Map<String, Object> fewLabel = new LinkedHashMap<>();
        fewLabel.put("classifier", r.classifier());
        Map<String, Integer> draws = new LinkedHashMap<>();
        for (int perClass : FewLabelClassification.LABELS_PER_CLASS) draws.put(Integer.toString(perClass), FewLabelClassification.draws(perClass));
        fewLabel.put("draws", draws);
        fewLabel.put("settings", settingsJson(r.fewLabel()));
        Map<String, Object> baselines = new LinkedHashMap<>();
        for (Evaluation.Baseline base : r.baselines()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("settings", settingsJson(base.fewLabel()));
            m.put("nearestNeighbour", nnJson(base.nn()));
            baselines.put(base.name(), m);
        }
        fewLabel.put("baselines", baselines);
        fewLabel.put("learned", learned(r));
        fewLabel.put("paperTable2Percent", PublishedResults.table2(r.data()));
        root.put("fewLabelClassification", fewLabel);

        Map<String, Object> nn = new LinkedHashMap<>();
        nn.put("method", "L2 nearest neighbour of each evaluation image; rows: true class, columns: neighbour's class; "
                + "meanDiagonal: class-balanced, agreement: the fraction of images whose neighbour has their class");
        Map<String, Object> references = new LinkedHashMap<>();
        references.put("leaveOneOut", leaveOneOutName(r));
        references.put("againstTraining", againstTrainingName(r));
        nn.put("references", references);
        nn.put("latent", nnJson(r.nnLatent()));
        nn.put("pixel", nnJson(r.nnPixel()));
        nn.put("paperFig3MeanDiagonal", PublishedResults.nearestNeighbourDiagonal(r.data()));
        root.put("nearestNeighbourAgreement", nn);

        Map<String, Object> ood = new LinkedHashMap<>();
        ood.put("convention", OOD_CONVENTION);
        ood.put("pairs", r.ood());
        ood.put("notes", r.oodNotes());
        ood.put("paperTable1", PublishedResults.table1(r.data()));
        root.put("outOfDistribution", ood);

        Map<String, Object> collapse = new LinkedHashMap<>();
        if (r.collapse() != null) {
            PosteriorCollapse.Result c = r.collapse();
            collapse.put("kl", c.kl());
            collapse.put("klStd", c.klStd());
            collapse.put("mutualInformation", c.mi());
            collapse.put("mutualInformationStd", c.miStd());
            collapse.put("batches", c.batches());
            collapse.put("batchSize", c.batchSize());
            collapse.put("images", "the first " + r.collapseImages().used() + " training images (" + r.collapseImages().name() + ")");
        }
        if (r.collapseNote() != null) collapse.put("note", r.collapseNote());
        collapse.put("paperTable3", PublishedResults.table3(r.data()));
        root.put("posteriorCollapse", collapse);

        Map<String, Object> projection = new LinkedHashMap<>();
        projection.put("method", "PCA of the latent means of the evaluation set");
        projection.put("explainedVariance", r.projection().explainedVariance());
        root.put("latentProjection", projection);

        Map<String, Object> samples = new LinkedHashMap<>();
        samples.put("count", r.samples() == null ? 0 : r.samples().size(0));
        samples.put("sgldSteps", r.sampleSteps());
        samples.put("sgldStep", r.sgldStep());
        samples.put("sgldNoise", r.sgldNoise());
        root.put("samples", samples);
        return root;
    }

    private static Map<String, Object> nnJson(NearestNeighbourAgreement.Variants v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("leaveOneOut", nnJson(v.leaveOneOut()));
        m.put("againstTraining", nnJson(v.againstTraining()));
        return m;
    }

    private static Map<String, Object> nnJson(NearestNeighbourAgreement.Result n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("meanDiagonal", n.meanDiagonal());
        m.put("agreement", n.agreement());
        m.put("confusion", n.confusion());
        m.put("counts", n.counts());
        return m;
    }

    static final String OOD_CONVENTION = "positive class = in-distribution test images, negative = OOD images; a higher score "
            + "means more in-distribution; scores: log p(x) = -E(x) (up to log Z) and -||grad_x log p(x)||_2 (negated gradient norm); "
            + "AUROC 1 = perfect, 0.5 = chance, 0 = perfectly reversed (1 - AUROC under the opposite sign)";

    // ---- CSV ----

    private static String fewLabelCsv(Evaluation.Results r) {
        StringBuilder b = new StringBuilder("features,labels_per_class,draw,accuracy\n");
        fewLabelRows(b, "model", r.fewLabel());
        for (Evaluation.Baseline base : r.baselines()) fewLabelRows(b, base.name(), base.fewLabel());
        return b.toString();
    }

    private static void fewLabelRows(StringBuilder b, String features, List<FewLabelClassification.Setting> settings) {
        for (FewLabelClassification.Setting s : settings) {
            for (int d = 0; d < s.accuracies().length; d++) {
                b.append(features).append(',').append(s.setting()).append(',').append(d).append(',').append(num(s.accuracies()[d])).append('\n');
            }
        }
    }

    private static List<Object> settingsJson(List<FewLabelClassification.Setting> settings) {
        List<Object> few = new ArrayList<>();
        for (FewLabelClassification.Setting s : settings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labelsPerClass", s.setting());
            m.put("accuracies", s.accuracies());
            m.put("mean", s.mean());
            m.put("std", s.std());
            if (s.skipped() != null) m.put("skipped", s.skipped());
            few.add(m);
        }
        return few;
    }

    /**
     * For each few-label setting, whether the model's mean accuracy beats every baseline's: a model
     * has learned a representation only where it does. Settings that were skipped for the model or
     * a baseline are left out, and so is everything where there are no baselines.
     */
    static Map<String, Boolean> learned(Evaluation.Results r) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        if (r.baselines().isEmpty()) return out;
        for (int i = 0; i < r.fewLabel().size(); i++) {
            FewLabelClassification.Setting mine = r.fewLabel().get(i);
            int setting = i;
            List<FewLabelClassification.Setting> theirs = r.baselines().stream().map(base -> base.fewLabel().get(setting)).toList();
            if (mine.skipped() != null || theirs.stream().anyMatch(t -> t.skipped() != null)) continue;
            out.put(mine.setting(), theirs.stream().allMatch(t -> mine.mean() > t.mean()));
        }
        return out;
    }

    private static String confusionCsv(NearestNeighbourAgreement.Result n) {
        int k = n.confusion().length;
        StringBuilder b = new StringBuilder("true_class");
        for (int c = 0; c < k; c++) b.append(",neighbour_").append(c);
        b.append(",count\n");
        for (int t = 0; t < k; t++) {
            b.append(t);
            long total = 0;
            for (int c = 0; c < k; c++) {
                b.append(',').append(num(n.confusion()[t][c]));
                total += n.counts()[t][c];
            }
            b.append(',').append(total).append('\n');
        }
        return b.toString();
    }

    private static String oodCsv(Evaluation.Results r) {
        StringBuilder b = new StringBuilder("ood_set,n_in,n_out,auroc_log_p,auroc_neg_grad_norm,mean_log_p_in,mean_log_p_out,mean_grad_norm_in,mean_grad_norm_out\n");
        for (OutOfDistribution.Pair p : r.ood()) {
            b.append(p.outOfDistribution()).append(',').append(p.inCount()).append(',').append(p.outCount()).append(',')
                    .append(num(p.aurocLogDensity())).append(',').append(num(p.aurocGradientNorm())).append(',')
                    .append(num(p.meanLogDensityIn())).append(',').append(num(p.meanLogDensityOut())).append(',')
                    .append(num(p.meanGradientNormIn())).append(',').append(num(p.meanGradientNormOut())).append('\n');
        }
        return b.toString();
    }

    private static String oodScoresCsv(Evaluation.Results r) {
        StringBuilder b = new StringBuilder("set,index,log_p,grad_norm\n");
        for (var e : r.oodScores().entrySet()) {
            OutOfDistribution.Scores s = e.getValue();
            for (int i = 0; i < s.size(); i++) {
                b.append(e.getKey()).append(',').append(i).append(',').append(num(s.logDensity()[i])).append(',')
                        .append(num(s.gradientNorm()[i])).append('\n');
            }
        }
        return b.toString();
    }

    private static String collapseCsv(PosteriorCollapse.Result c) {
        StringBuilder b = new StringBuilder("batch,kl,mutual_information\n");
        for (int i = 0; i < c.batches(); i++) b.append(i).append(',').append(num(c.klPerBatch()[i])).append(',').append(num(c.miPerBatch()[i])).append('\n');
        return b.toString();
    }

    private static String pcaCsv(Evaluation.Results r) {
        StringBuilder b = new StringBuilder("index,label,pc1,pc2\n");
        LatentProjection.Result p = r.projection();
        for (int i = 0; i < p.x().length; i++) {
            b.append(i).append(',').append(r.evaluationLabels()[i]).append(',').append(num(p.x()[i])).append(',').append(num(p.y()[i])).append('\n');
        }
        return b.toString();
    }

    // ---- report.md ----

    private static void fewLabelRow(StringBuilder b, String name, List<FewLabelClassification.Setting> settings) {
        b.append("| ").append(name).append(" |");
        for (FewLabelClassification.Setting s : settings) {
            b.append(' ');
            if (s.skipped() != null) b.append("skipped");
            else if (s.accuracies().length > 1) b.append(f1(100 * s.mean())).append(" ± ").append(f1(100 * s.std()));
            else b.append(f1(100 * s.mean()));
            b.append(" |");
        }
        b.append('\n');
    }

    private static void nnRow(StringBuilder b, String name, NearestNeighbourAgreement.Variants v) {
        b.append("| ").append(name).append(" | ").append(f3(v.leaveOneOut().meanDiagonal())).append(" | ").append(f3(v.leaveOneOut().agreement()))
                .append(" | ").append(f3(v.againstTraining().meanDiagonal())).append(" | ").append(f3(v.againstTraining().agreement())).append(" |\n");
    }

    /** "Learned: beats both baselines at 10, 100 and full labels per class; not at 1." */
    static String learnedSentence(Map<String, Boolean> learned) {
        List<String> yes = new ArrayList<>(), no = new ArrayList<>();
        learned.forEach((setting, beats) -> (beats ? yes : no).add(setting));
        if (no.isEmpty()) return "**Learned:** the model beats every baseline in every setting.";
        if (yes.isEmpty()) return "**Not learned:** the model beats the baselines in no setting (labels per class: " + String.join(", ", no) + ").";
        return "**Learned in part:** the model beats every baseline at " + String.join(", ", yes) + " labels per class, and not at "
                + String.join(", ", no) + ".";
    }

    static String markdown(Evaluation.Results r) {
        String model = PublishedResults.paperModel(r.model());
        String data = PublishedResults.paperDataSet(r.data());
        StringBuilder b = new StringBuilder();
        b.append("# Evaluation: ").append(model).append(" on ").append(data).append("\n\n");
        b.append("| | |\n|---|---|\n");
        b.append("| checkpoint | `").append(r.checkpoint()).append("` |\n");
        b.append("| model | ").append(r.model()).append(" (").append(r.arch()).append("), ").append(r.trainedSteps()).append(" training steps |\n");
        b.append("| data | ").append(r.data()).append(" |\n");
        b.append("| labelled pool | ").append(use(r.pool())).append(" |\n");
        b.append("| evaluation set | ").append(use(r.evaluation())).append(" |\n");
        b.append("| OOD in-distribution set | ").append(use(r.oodIn())).append(" |\n");
        b.append("| seed | ").append(r.seed()).append(" |\n\n");
        b.append(r.setNote()).append(" Latent representation: the posterior mean μ̃(x)")
                .append(r.model().equals("igebm") ? " (for the IGEBM: the first hidden layer of its energy MLP, as in the authors' code)" : "").append(".\n\n");
        if (r.classNames().size() > 0 && !r.classNames().get(0).equals("0")) {
            b.append("Classes: ");
            for (int c = 0; c < r.classNames().size(); c++) b.append(c == 0 ? "" : ", ").append(c).append(" = ").append(r.classNames().get(c));
            b.append(".\n\n");
        }

        b.append("## Few-label classification (paper Table 2)\n\n");
        b.append("Classifier: ").append(r.classifier()).append(". Fitted on 1, 10 and 100 labelled images per class (")
                .append(FewLabelClassification.draws(1)).append(", ").append(FewLabelClassification.draws(10)).append(" and ")
                .append(FewLabelClassification.draws(100)).append(" random draws, mean ± std) and on the whole labelled pool; ")
                .append("test accuracy in % on the evaluation set. The baselines use the same classifier, images and label draws.\n\n");
        b.append("| | 1 | 10 | 100 | full |\n|---|---|---|---|---|\n");
        fewLabelRow(b, "**this run (" + model + ")**", r.fewLabel());
        for (Evaluation.Baseline base : r.baselines()) fewLabelRow(b, "baseline: " + base.name(), base.fewLabel());
        var t2 = PublishedResults.table2(r.data());
        for (var e : t2.entrySet()) {
            PublishedResults.Accuracy a = e.getValue();
            b.append("| paper: ").append(e.getKey().equals(model) ? "**" + e.getKey() + "**" : e.getKey()).append(" | ")
                    .append(f0(a.one())).append(" | ").append(f0(a.ten())).append(" | ").append(f0(a.hundred())).append(" | ").append(f0(a.full())).append(" |\n");
        }
        if (t2.isEmpty()) b.append("\nThe paper has no numbers for ").append(data).append(".\n");
        if (!r.baselines().isEmpty()) b.append('\n').append(learnedSentence(learned(r))).append('\n');
        for (FewLabelClassification.Setting s : r.fewLabel()) {
            if (s.skipped() != null) b.append("\n").append(s.setting()).append(" per class skipped: ").append(s.skipped()).append('.');
        }
        b.append("\n\n");

        b.append("## Nearest-neighbour agreement (paper Fig. 3)\n\n");
        b.append("For each image of the evaluation set, its nearest image by L2 distance, searched two ways: ").append(leaveOneOutName(r))
                .append(" (its nearest other image of that set), and ").append(againstTrainingName(r))
                .append(" (its nearest training image, as in the paper). The confusion matrix of (true class, neighbour's class), ")
                .append("each row divided by its sum; the mean of its diagonal (class-balanced) and the agreement (the fraction of ")
                .append("images whose neighbour has their class).\n\n");
        b.append("| space | leave-one-out: mean diagonal | leave-one-out: agreement | against the training images: mean diagonal ")
                .append("| against the training images: agreement |\n|---|---|---|---|---|\n");
        nnRow(b, "latent (" + r.classNames().size() + " classes)", r.nnLatent());
        nnRow(b, "pixel", r.nnPixel());
        for (Evaluation.Baseline base : r.baselines()) {
            if (!base.name().equals(Evaluation.RAW_PIXELS)) nnRow(b, "baseline: " + base.name(), base.nn());
        }
        for (var e : PublishedResults.nearestNeighbourDiagonal(r.data()).entrySet()) {
            b.append("| paper: ").append(e.getKey()).append(", latent | – | – | ").append(f2(e.getValue())).append(" | – |\n");
        }
        b.append("\nLeave-one-out: ![latent space](nn-latent.png) ![pixel space](nn-pixel.png)\n\n")
                .append("Against the training images: ![latent space](nn-latent-train.png) ![pixel space](nn-pixel-train.png)\n\n");

        b.append("## Out-of-distribution detection (paper Table 1)\n\n");
        b.append("AUROC. **Sign convention:** the positive class is the in-distribution test set (").append(r.oodIn().name())
                .append("), the negative class the OOD set; a higher score means more in-distribution. Scores: log p(x) = −E(x) ")
                .append("(up to log Z) and −‖∇x log p(x)‖ (the negated L2 norm of the gradient over all pixels). 1 is perfect, ")
                .append("0.5 chance, 0 perfectly reversed; under the opposite sign an AUROC a reads 1 − a.\n\n");
        b.append("| OOD set | images (in / out) | AUROC log p(x) | AUROC −‖∇x log p(x)‖ | paper ").append(model).append(" log p(x) | paper ")
                .append(model).append(" ‖∇x log p(x)‖ |\n|---|---|---|---|---|---|\n");
        var paperRow = PublishedResults.table1(r.data()).get(model);
        for (OutOfDistribution.Pair p : r.ood()) {
            PublishedResults.Auroc a = paperRow == null ? null : paperRow.get(p.outOfDistribution());
            b.append("| ").append(p.outOfDistribution()).append(" | ").append(p.inCount()).append(" / ").append(p.outCount()).append(" | ")
                    .append(f3(p.aurocLogDensity())).append(" | ").append(f3(p.aurocGradientNorm())).append(" | ")
                    .append(a == null ? "–" : f2(a.logDensity())).append(" | ").append(a == null ? "–" : f2(a.gradientNorm())).append(" |\n");
        }
        for (String note : r.oodNotes()) b.append("\n- ").append(note);
        if (!r.oodNotes().isEmpty()) b.append('\n');
        var t1 = PublishedResults.table1(r.data());
        if (!t1.isEmpty()) {
            List<String> sets = PublishedResults.table1Sets(r.data());
            b.append("\nThe paper's Table 1 for ").append(data).append(" (log p(x) / ‖∇x log p(x)‖):\n\n| model |");
            for (String s : sets) b.append(' ').append(s).append(" |");
            b.append("\n|---|").append("---|".repeat(sets.size())).append('\n');
            for (var e : t1.entrySet()) {
                b.append("| ").append(e.getKey()).append(" |");
                for (String s : sets) b.append(' ').append(f2(e.getValue().get(s).logDensity())).append(" / ").append(f2(e.getValue().get(s).gradientNorm())).append(" |");
                b.append('\n');
            }
        } else {
            b.append("\nThe paper reports OOD detection only for models trained on Fashion-MNIST and CIFAR-10.\n");
        }
        b.append('\n');

        b.append("## Posterior collapse (paper Table 3)\n\n");
        var t3 = PublishedResults.table3(r.data());
        if (r.collapse() != null) {
            PosteriorCollapse.Result c = r.collapse();
            b.append("KL(q̂(z) ‖ p(z)) between the aggregate posterior of a batch and the bias, and the mutual information I(x; z), in nats, ")
                    .append("by Monte Carlo over ").append(c.batches()).append(" batch(es) of ").append(c.batchSize())
                    .append(" images from the first ").append(r.collapseImages().used()).append(" training images (")
                    .append(r.collapseImages().name()).append("), as the paper estimates them on training images ")
                    .append("(mean ± std over batches; the MI estimate is at most log ").append(c.batchSize()).append(" = ")
                    .append(f2(Math.log(c.batchSize()))).append(").\n\n");
            b.append("| | KL | MI |\n|---|---|---|\n");
            b.append("| **this run (").append(model).append(")** | ").append(f2(c.kl())).append(" ± ").append(f2(c.klStd())).append(" | ")
                    .append(f2(c.mi())).append(" ± ").append(f2(c.miStd())).append(" |\n");
        } else {
            b.append("| | KL | MI |\n|---|---|---|\n| this run (").append(model).append(") | n/a | n/a |\n");
        }
        for (var e : t3.entrySet()) b.append("| paper: ").append(e.getKey()).append(" | ").append(e.getValue().kl()).append(" | ").append(e.getValue().mi()).append(" |\n");
        if (r.collapseNote() != null) b.append('\n').append(r.collapseNote()).append('\n');
        b.append('\n');

        b.append("## Latent space\n\n");
        b.append("The latent means of the evaluation set projected on their first two principal components (PCA; ")
                .append(pct(r.projection().explainedVariance()[0])).append(" and ").append(pct(r.projection().explainedVariance()[1]))
                .append(" of the variance), coloured by class.\n\n![latent PCA](latent-pca.png)\n\n");

        b.append("## Samples\n\n");
        if (r.samples() != null) {
            b.append(r.samples().size(0)).append(" SGLD samples: uniform noise on [-1, 1] moved ").append(r.sampleSteps())
                    .append(" steps by x ← x − ").append(r.sgldStep()).append("·∇x E(x) + ").append(r.sgldNoise()).append("·N(0, I).\n\n")
                    .append("![samples](samples.png)\n\n");
        } else {
            b.append("Not drawn (--sample-steps 0).\n\n");
        }
        b.append("## Files\n\n`results.json` (every number above), `few-label.csv`, `nn-latent.csv`, `nn-latent-train.csv`, `nn-pixel.csv`, ")
                .append("`nn-pixel-train.csv`, `ood.csv`, ")
                .append("`ood-scores.csv` (each image's log p(x) and ‖∇x log p(x)‖)")
                .append(r.collapse() != null ? ", `posterior-collapse.csv`" : "").append(", `latent-pca.csv`.\n");
        return b.toString();
    }

    private static String use(Evaluation.SetUse s) {
        return s.name() + ": " + s.used() + (s.used() < s.available() ? " of " + s.available() : "") + " images";
    }

    private static void writeText(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : Double.toString(v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "–";
    }

    private static String f2(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–";
    }

    private static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "–";
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
