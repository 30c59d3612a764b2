package cebm.cli;

import cebm.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a trained model's parameters alone, without the resume state.",
                "The parameters under their PyTorch names, with the model's configuration and step, "
                        + "without the optimiser state and replay buffer that resuming needs: about 1 MB for code28. "
                        + "eval, sample and encode read the file like a checkpoint."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "A run folder or a checkpoint file.")
    Path checkpoint;
    @Option(names = "--out", required = true, description = "The safetensors file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        OutputPaths.checkFile("--out", out, "the parameters");
        Path file = Checkpoints.file(checkpoint);
        Checkpoint.saveParameters(file, out);
        System.out.printf("wrote the parameters of step %d to %s (%,d bytes)%n", Checkpoint.step(out), out, Files.size(out));
        return 0;
    }
}
