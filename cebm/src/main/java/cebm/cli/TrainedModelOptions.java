package cebm.cli;

import cebm.data.DataSets;
import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.train.Checkpoint;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The options of the commands that read a trained model and a data set to run it on (encode, eval). */
final class TrainedModelOptions {
    @Option(names = "--checkpoint", required = true, description = "A run folder or a checkpoint file.")
    Path checkpoint;
    @Option(names = "--data", description = "Data set (default: the one the model was trained on).")
    String data;
    @Option(names = "--data-dir", description = "Folder with the data files. Default: ${DEFAULT-VALUE}.")
    Path dataDir = Path.of("data");

    Path checkpointFile() {
        return Checkpoints.file(checkpoint);
    }

    /** The data set named by --data, or else the one the checkpoint was trained on. */
    String dataName() throws IOException {
        return data != null ? data : Checkpoint.config(checkpointFile()).data();
    }

    /** The data set to run {@code model} on; one line, exit code 2, where its images are not the shape the model takes. */
    DataSets.Split loadDataFor(EnergyModel model) throws IOException {
        DataSets.Split split = DataSets.load(dataName(), dataDir);
        Architecture a = model.architecture();
        TrainCommand.checkShape(split, a, "the model was trained on " + Checkpoint.config(checkpointFile()).data()
                + "; give --data a data set of " + a.channels() + "x" + a.size() + "x" + a.size() + " images, or leave --data out");
        return split;
    }
}
