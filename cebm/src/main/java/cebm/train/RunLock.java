package cebm.train;

import cebm.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A run folder held by one training process. Two trainers in one folder would overwrite each other's
 * checkpoint and interleave their metrics, so the second is refused. The hold is the operating system's
 * lock on the folder's {@value #FILE}, which ends with its process however that ends (even by
 * {@code kill -9}): a crash never leaves a folder locked. The file holds the process id of the last
 * process that locked it, for the message.
 *
 * <pre>
 *   try (RunLock lock = RunLock.acquire(folder)) {
 *       // train, writing into folder
 *   }
 * </pre>
 */
public final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";
    private final FileChannel channel;

    private RunLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Locks {@code folder} (creating it) for this process, and removes the temporary files of atomic writes
     * that a killed run left there and in its samples folder: with the lock held, no write of another
     * process is under way.
     *
     * @throws IOException if another process holds the folder; the message names it
     */
    public static RunLock acquire(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException(folder + " is being written by another training process (pid " + holder(file) + ")");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
        AtomicFiles.removeLeftovers(folder);
        Path samples = folder.resolve(TrainingRun.SAMPLES);
        if (Files.isDirectory(samples)) AtomicFiles.removeLeftovers(samples);
        return new RunLock(channel);
    }

    private static String holder(Path file) {
        String pid;
        try {
            pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException lockedAgainstReading) {
            pid = "";
        }
        return pid.isEmpty() ? "unknown" : pid;
    }

    /** Releases the folder (closing the channel releases its lock). */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
