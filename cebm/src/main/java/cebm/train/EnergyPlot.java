package cebm.train;

import cebm.io.LinePlot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The picture of a run's health: E_data and E_model over training steps, drawn from the run's
 * metrics.csv (so a resumed run's plot covers the whole run).
 */
final class EnergyPlot {
    private EnergyPlot() {}

    static void write(Path metricsCsv, Path png) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv);
        int n = lines.size() - 1; // the first line is the header
        double[] step = new double[n], data = new double[n], model = new double[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            step[i] = Double.parseDouble(f[0]);
            data[i] = Double.parseDouble(f[2]);
            model[i] = Double.parseDouble(f[3]);
        }
        new LinePlot("Energies over training (lower = more probable)", "step", "mean energy")
                .add("E_data", step, data)
                .add("E_model", step, model)
                .write(png);
    }
}
