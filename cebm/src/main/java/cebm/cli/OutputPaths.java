package cebm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks where a command will write before it does any work: a path that cannot be written would
 * otherwise fail only at the end, after minutes or hours of training or evaluation. Missing folders
 * on the way are fine (the commands create them); what fails is a file where a folder is wanted or
 * the other way round, and a folder that cannot be written.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** {@code folder} (given by {@code option}) will hold {@code what}: it must be a folder, or not exist yet. */
    static void checkFolder(String option, Path folder, String what) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new Main.UsageError(option + " " + folder + " is a file; give a folder for " + what);
        }
        checkWritable(option, folder, folder);
    }

    /** {@code file} (given by {@code option}) will be {@code what}: it must be a file, or not exist yet. */
    static void checkFile(String option, Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new Main.UsageError(option + " " + file + " is a folder; give a file name for " + what);
        }
        checkWritable(option, file, file.toAbsolutePath().getParent());
    }

    /**
     * The nearest of {@code folder} and the folders above it that exists must be a folder the user may write in.
     * {@code path} is the path as the user gave it, for the message.
     */
    private static void checkWritable(String option, Path path, Path folder) {
        Path existing = folder.toAbsolutePath();
        while (!Files.exists(existing)) existing = existing.getParent();
        if (!Files.isDirectory(existing)) {
            throw new Main.UsageError(option + " " + path + ": " + existing + " is a file, not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new Main.UsageError(option + " " + path + ": the folder " + existing + " is not writable");
        }
    }
}
