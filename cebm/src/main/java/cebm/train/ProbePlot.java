package cebm.train;

import cebm.io.LinePlot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the probe measured over training, every column of probe.csv against the step (all are fractions). */
final class ProbePlot {
    private ProbePlot() {}

    static void write(Path probeCsv, Path png) throws IOException {
        List<String> lines = Files.readAllLines(probeCsv);
        String[] names = lines.get(0).split(",");
        int n = lines.size() - 1;
        double[][] columns = new double[names.length][n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            for (int j = 0; j < names.length; j++) columns[j][i] = Double.parseDouble(f[j]);
        }
        LinePlot plot = new LinePlot("Learning probe (fixed subsets; see probe.csv)", "step", "fraction");
        for (int j = 1; j < names.length; j++) plot.add(names[j], columns[0], columns[j]);
        plot.write(png);
    }
}
