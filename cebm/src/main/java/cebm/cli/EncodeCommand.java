package cebm.cli;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.data.DataSets;
import cebm.data.Dataset;
import cebm.io.AtomicFiles;
import cebm.model.EnergyModel;
import cebm.tensor.Tensor;
import cebm.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "encode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes, for every image of a data set, its label, its energy E(x) (= -log p(x) + const)",
                "and its latent representation (posterior mean; last hidden layer for igebm) as CSV:",
                "index,label,energy,z0,z1,..."})
final class EncodeCommand implements Callable<Integer> {
    private static final int CHUNK = 256;

    @Mixin
    TrainedModelOptions source;
    @Option(names = "--split", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split = "test";
    @Option(names = "--out", description = "CSV file. Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("encoded.csv");

    @Override
    public Integer call() throws Exception {
        if (!split.equals("train") && !split.equals("test")) throw new Main.UsageError("--split must be train or test, got '" + split + "'");
        EnergyModel model = Checkpoint.loadModel(source.checkpointFile());
        DataSets.Split sets = source.loadData();
        Dataset d = split.equals("train") ? sets.train() : sets.test();
        AtomicFiles.write(out, stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            for (int start = 0; start < d.size(); start += CHUNK) {
                int n = Math.min(CHUNK, d.size() - start);
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) rows[i] = start + i;
                Tensor images = d.batch(rows);
                float[] energy;
                try (GradMode.Scope off = GradMode.disabled()) {
                    energy = model.energy(Variable.constant(images)).value().toArray();
                }
                Tensor mean = model.posterior(images).mean();
                if (start == 0) w.write(header(mean.size(1)));
                float[] z = mean.toArray();
                int k = mean.size(1);
                for (int i = 0; i < n; i++) {
                    StringBuilder line = new StringBuilder().append(start + i).append(',').append(d.label(start + i))
                            .append(',').append(String.format(Locale.ROOT, "%.6g", energy[i]));
                    for (int j = 0; j < k; j++) line.append(',').append(String.format(Locale.ROOT, "%.6g", z[i * k + j]));
                    w.write(line.append('\n').toString());
                }
            }
            w.flush();
        });
        System.out.printf("encoded %d images of %s (%s) to %s%n", d.size(), d.name(), split, out);
        return 0;
    }

    private static String header(int k) {
        StringBuilder h = new StringBuilder("index,label,energy");
        for (int j = 0; j < k; j++) h.append(",z").append(j);
        return h.append('\n').toString();
    }
}
