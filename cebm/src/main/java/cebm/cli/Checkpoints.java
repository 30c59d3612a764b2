package cebm.cli;

import cebm.train.TrainingRun;

import java.nio.file.Files;
import java.nio.file.Path;

/** Accepts a run folder or a checkpoint file wherever a checkpoint is asked for. */
final class Checkpoints {
    private Checkpoints() {}

    static Path file(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve(TrainingRun.CHECKPOINT) : folderOrFile;
        if (!Files.isRegularFile(file)) throw new Main.UsageError("no checkpoint at " + file + " (give a run folder or a .safetensors file)");
        return file;
    }
}
