package cebm.cli;

import cebm.data.DataSets;
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
        return data != null ? data : Checkpoint.config(checkpointFile()).data;
    }

    DataSets.Split loadData() throws IOException {
        return DataSets.load(dataName(), dataDir);
    }
}
