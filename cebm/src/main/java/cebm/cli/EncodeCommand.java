package cebm.cli;

import cebm.data.DataSets;
import cebm.data.Dataset;
import cebm.eval.ModelPass;
import cebm.eval.Steps;
import cebm.io.AtomicFiles;
import cebm.model.EnergyModel;
import cebm.train.Checkpoint;
import cebm.train.Progress;
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
        description = {"Writes each image's label, energy and latent representation as CSV.",
                "For every image of a data set: its label, its energy E(x) (= -log p(x) + const) "
                        + "and its latent representation (posterior mean; first hidden layer of the energy MLP for igebm) as CSV:",
                "index,label,energy,z0,z1,..."})
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    TrainedModelOptions source;
    @Option(names = "--split", description = "train or test. Default: ${DEFAULT-VALUE}.")
    String split = "test";
    @Option(names = "--out", description = "CSV file. Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("encoded.csv");
    @Option(names = {"-q", "--quiet"}, description = "No progress bar (messages and errors still print).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("train") && !split.equals("test")) throw new Main.UsageError("--split must be train or test, got '" + split + "'");
        OutputPaths.checkFile("--out", out, "the CSV");
        EnergyModel model = Checkpoint.loadModel(source.checkpointFile());
        DataSets.Split sets = source.loadDataFor(model);
        Dataset d = split.equals("train") ? sets.train() : sets.test();
        int[] rows = new int[d.size()];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        // Two passes over the images: the latents, then the energies.
        Progress progress = new Progress(System.out, quiet, 0, 2 * ModelPass.chunks(rows.length));
        Steps steps = Steps.on(progress);
        float[][] latents = ModelPass.encode(model, d, rows, 0, steps).means();
        float[] energies = ModelPass.energies(model, d, rows, steps);
        progress.finish();
        AtomicFiles.write(out, stream -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.write(header(latents.length == 0 ? 0 : latents[0].length));
            for (int i = 0; i < rows.length; i++) {
                StringBuilder line = new StringBuilder().append(i).append(',').append(d.label(i))
                        .append(',').append(String.format(Locale.ROOT, "%.6g", energies[i]));
                for (float z : latents[i]) line.append(',').append(String.format(Locale.ROOT, "%.6g", z));
                w.write(line.append('\n').toString());
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
