package cebm.cli;

import cebm.autograd.GraphDot;
import cebm.autograd.Variable;
import cebm.autograd.ops.Sum;
import cebm.io.AtomicFiles;
import cebm.io.Graphviz;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.model.Models;
import cebm.tensor.RandomStream;
import cebm.tensor.cpu.CpuBackend;
import cebm.toy.ToySetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Draws the autograd tape of one energy evaluation (Graphviz DOT).",
                "The graph of L = sum_b E(x_b) for a small untrained model and a random",
                "batch x, after a backward pass, with each node's shape and the gradient",
                "that reached it (the values for up to four elements, else the norm |grad|).",
                "Writes Graphviz DOT and, when Graphviz's dot program is found, the same",
                "graph as SVG and PNG beside it."})
final class GraphCommand implements Callable<Integer> {
    /** One conv + bias + Swish layer on 1×8×8 images: the image model's layers, small enough to read. */
    static final Architecture TINY_CONV = new Architecture("tiny-conv", 1, 8, List.of(new Architecture.ConvLayer(4, 3, 2, 1)), 0);

    @Option(names = "--model", description = "cebm, gmm-cebm or igebm. Default: ${DEFAULT-VALUE}.")
    String model = "cebm";
    @Option(names = "--network", description = "conv (one conv layer on 1x8x8 images) or mlp (the toy's network on points). Default: ${DEFAULT-VALUE}.")
    String network = "conv";
    @Option(names = "--latent", description = "Latent dimensions K. Default: ${DEFAULT-VALUE}.")
    int latent = 3;
    @Option(names = "--batch", description = "Images in the batch x. Default: ${DEFAULT-VALUE}.")
    int batch = 2;
    @Option(names = "--out", description = "DOT file; the .svg and .png go beside it. Default: ${DEFAULT-VALUE}.")
    Path out = Path.of("energy.dot");
    @Option(names = "--dot", description = "Graphviz's dot program. Default: ${DEFAULT-VALUE} (found on the PATH).")
    String dotProgram = "dot";

    @Override
    public Integer call() throws Exception {
        if (latent <= 0 || batch <= 0) throw new Main.UsageError("--latent and --batch must be > 0");
        Architecture arch = switch (network) {
            case "conv" -> TINY_CONV;
            case "mlp" -> ToySetup.ARCHITECTURE;
            default -> throw new Main.UsageError("--network must be conv or mlp, got '" + network + "'");
        };
        OutputPaths.checkFile("--out", out, "the DOT graph");
        EnergyModel energyModel = Models.create(model, arch, latent, 2, true, 0);
        Variable x = Variable.parameter(new RandomStream(1).uniform(CpuBackend.INSTANCE, -1f, 1f,
                batch, arch.channels(), arch.size(), arch.size()));
        Variable energy = energyModel.energy(x);
        Variable total = Sum.apply(energy);
        GraphDot graph = GraphDot.of(total).name(x, "x").name(energy, "E(x)").name(total, "L = sum_b E(x_b)");
        energyModel.parameters().asMap().forEach((name, p) -> graph.name(p, name));
        total.backward(graph);
        AtomicFiles.write(out, graph.toDot().getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out);

        Graphviz graphviz = new Graphviz(dotProgram);
        if (!graphviz.available()) {
            System.out.println("Graphviz's dot program was not found (" + dotProgram + "); to draw the graph, install Graphviz and run: dot -Tsvg "
                    + out + " -o " + sibling(out, "svg"));
            return 0;
        }
        for (String format : List.of("svg", "png")) {
            graphviz.render(out, format, sibling(out, format));
            System.out.println("wrote " + sibling(out, format));
        }
        return 0;
    }

    /** The file beside {@code file} with the same name and another extension. */
    private static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "." + extension);
    }
}
