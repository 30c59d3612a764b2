package cebm.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published numbers the evaluation is put beside (spec §4; Wu et al., ICML 2021, Tables 1–3), as data.
 * Data-set keys are this project's names ({@code mnist}, {@code fashion-mnist}, {@code cifar10}, and
 * {@code svhn}, which the project cannot load yet); model keys are the paper's (VAE, GMM-VAE, BIGAN, IGEBM,
 * CEBM, GMM-CEBM). {@link #paperModel} maps a model kind of this project to the paper's name.
 */
public final class PublishedResults {
    private PublishedResults() {}

    /** The paper's name of a model kind of this project: cebm → CEBM, gmm-cebm → GMM-CEBM, igebm → IGEBM. */
    public static String paperModel(String kind) {
        return switch (kind) {
            case "cebm" -> "CEBM";
            case "gmm-cebm" -> "GMM-CEBM";
            case "igebm" -> "IGEBM";
            default -> kind;
        };
    }

    /** The paper's name of a data set of this project. */
    public static String paperDataSet(String name) {
        return switch (name) {
            case "mnist" -> "MNIST";
            case "fashion-mnist" -> "Fashion-MNIST";
            case "cifar10" -> "CIFAR-10";
            case "svhn" -> "SVHN";
            default -> name;
        };
    }

    /** Table 2: test accuracy in % with 1, 10, 100 labels per class and the full training set. */
    public record Accuracy(double one, double ten, double hundred, double full) {
        public double[] asArray() {
            return new double[] {one, ten, hundred, full};
        }
    }

    /** Table 2 for one data set: model → accuracies, in the paper's row order. Empty for data sets it lacks. */
    public static Map<String, Accuracy> table2(String dataSet) {
        Map<String, Accuracy> t = new LinkedHashMap<>();
        switch (dataSet) {
            case "mnist" -> {
                t.put("VAE", new Accuracy(42, 85, 92, 95));
                t.put("GMM-VAE", new Accuracy(53, 86, 93, 97));
                t.put("BIGAN", new Accuracy(33, 67, 85, 91));
                t.put("IGEBM", new Accuracy(63, 89, 95, 97));
                t.put("CEBM", new Accuracy(67, 89, 95, 97));
                t.put("GMM-CEBM", new Accuracy(67, 91, 97, 98));
            }
            case "fashion-mnist" -> {
                t.put("VAE", new Accuracy(41, 63, 72, 81));
                t.put("GMM-VAE", new Accuracy(49, 68, 79, 84));
                t.put("BIGAN", new Accuracy(46, 65, 75, 81));
                t.put("IGEBM", new Accuracy(50, 70, 79, 83));
                t.put("CEBM", new Accuracy(52, 70, 77, 83));
                t.put("GMM-CEBM", new Accuracy(52, 70, 80, 85));
            }
            case "cifar10" -> {
                t.put("VAE", new Accuracy(16, 22, 31, 38));
                t.put("GMM-VAE", new Accuracy(19, 23, 33, 39));
                t.put("BIGAN", new Accuracy(18, 30, 43, 52));
                t.put("IGEBM", new Accuracy(16, 26, 33, 42));
                t.put("CEBM", new Accuracy(19, 30, 42, 53));
                t.put("GMM-CEBM", new Accuracy(16, 29, 42, 52));
            }
            case "svhn" -> {
                t.put("VAE", new Accuracy(13, 13, 16, 36));
                t.put("GMM-VAE", new Accuracy(13, 14, 23, 56));
                t.put("BIGAN", new Accuracy(11, 20, 42, 56));
                t.put("IGEBM", new Accuracy(10, 16, 35, 49));
                t.put("CEBM", new Accuracy(12, 25, 48, 70));
                t.put("GMM-CEBM", new Accuracy(10, 17, 39, 60));
            }
            default -> { }
        }
        return t;
    }

    /** Table 1: the AUROC of log p(x) and of ‖∇x log p(x)‖ for one OOD set. */
    public record Auroc(double logDensity, double gradientNorm) {}

    /** The OOD sets of Table 1 for a training set, in the paper's column order; empty for other data sets. */
    public static List<String> table1Sets(String dataSet) {
        return switch (dataSet) {
            case "fashion-mnist" -> List.of("MNIST", "E-MNIST", "Constant");
            case "cifar10" -> List.of("SVHN", "Texture", "Constant");
            default -> List.of();
        };
    }

    /**
     * Table 1 for one training set: model → (OOD set → AUROC pair). Empty for data sets the paper did not
     * use for OOD detection.
     */
    public static Map<String, Map<String, Auroc>> table1(String dataSet) {
        Map<String, Map<String, Auroc>> t = new LinkedHashMap<>();
        switch (dataSet) {
            case "fashion-mnist" -> {
                t.put("VAE", row(dataSet, new double[] {.50, .39, .09}, new double[] {.61, .57, .01}));
                t.put("IGEBM", row(dataSet, new double[] {.35, .36, .90}, new double[] {.78, .82, .96}));
                t.put("CEBM", row(dataSet, new double[] {.37, .34, .90}, new double[] {.82, .89, .98}));
                t.put("GMM-CEBM", row(dataSet, new double[] {.56, .56, .92}, new double[] {.56, .80, .95}));
            }
            case "cifar10" -> {
                t.put("VAE", row(dataSet, new double[] {.42, .58, .41}, new double[] {.38, .51, .37}));
                t.put("IGEBM", row(dataSet, new double[] {.45, .31, .64}, new double[] {.33, .17, .62}));
                t.put("CEBM", row(dataSet, new double[] {.47, .32, .66}, new double[] {.31, .17, .54}));
                t.put("GMM-CEBM", row(dataSet, new double[] {.55, .30, .62}, new double[] {.40, .23, .62}));
            }
            default -> { }
        }
        return t;
    }

    private static Map<String, Auroc> row(String dataSet, double[] logDensity, double[] gradientNorm) {
        Map<String, Auroc> r = new LinkedHashMap<>();
        List<String> sets = table1Sets(dataSet);
        for (int i = 0; i < sets.size(); i++) r.put(sets.get(i), new Auroc(logDensity[i], gradientNorm[i]));
        return r;
    }

    /** Table 3: KL(aggregate posterior ‖ bias) and the mutual information I(x; z), as printed. */
    public record Collapse(double kl, double mi) {}

    /** Table 3 for one data set: model → (KL, MI). */
    public static Map<String, Collapse> table3(String dataSet) {
        Map<String, Collapse> t = new LinkedHashMap<>();
        switch (dataSet) {
            case "mnist" -> {
                t.put("VAE", new Collapse(11.5, 9.1));
                t.put("CEBM", new Collapse(0.9, 0.3));
                t.put("GMM-CEBM", new Collapse(18.7, 4.7));
            }
            case "fashion-mnist" -> {
                t.put("CEBM", new Collapse(0.6, 0.4));
                t.put("GMM-CEBM", new Collapse(8.1, 3.9));
            }
            case "cifar10" -> {
                t.put("CEBM", new Collapse(0.1, 0.2));
                t.put("GMM-CEBM", new Collapse(4.5, 2.7));
            }
            case "svhn" -> {
                t.put("CEBM", new Collapse(0.1, 0.1));
                t.put("GMM-CEBM", new Collapse(5.6, 2.2));
            }
            default -> { }
        }
        return t;
    }

    /** Fig. 3: the mean diagonal of the latent nearest-neighbour confusion matrix, CIFAR-10 only. */
    public static Map<String, Double> nearestNeighbourDiagonal(String dataSet) {
        Map<String, Double> t = new LinkedHashMap<>();
        if (dataSet.equals("cifar10")) {
            t.put("VAE", 0.38);
            t.put("CEBM", 0.45);
        }
        return t;
    }
}
