package cebm.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that readers only ever see the old content or the complete new content, never a torn mix.
 *
 * <p>Training runs for hours and may be killed at any moment; a checkpoint half-written at that moment must
 * not replace the last good one. So the content goes to a temporary file in the same directory, is forced to
 * disk, and is then renamed over the target in one atomic step (a rename is only atomic within one file
 * system, hence the same directory).
 *
 * <p>Not covered: making the rename itself durable would also need an fsync of the directory, which Java
 * cannot do portably. After a power cut the target may therefore hold the old content, but never a torn one.
 */
public final class AtomicFiles {
    /** Produces a file's content by writing it to a stream; the stream is buffered and closed by the caller. */
    @FunctionalInterface
    public interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The temporary files {@link #write} makes: {@code .<target name>.<random UUID>.tmp}. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}\\.tmp");

    private AtomicFiles() {
    }

    /** Atomically replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Atomically replaces (or creates) {@code target} with whatever {@code content} writes. Missing parent
     * directories are created. If {@code content} throws, the target is left untouched and the temporary file
     * is removed. A failure of the temporary file is reported as one of the target: its name is the one the
     * caller knows.
     */
    public static void write(Path target, ContentWriter content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Files.createDirectories(directory);
        // Not Files.createTempFile: that creates owner-only files on POSIX, and the rename would carry those
        // permissions over to the target. A hidden name keeps the half-written file out of directory listings.
        Path temporary = directory.resolve("." + absolute.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel))) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            if (e instanceof FileSystemException f && temporary.toString().equals(f.getFile())) throw aboutTarget(f, target);
            throw e;
        }
    }

    /**
     * The same failure, told of {@code target}. Some exceptions of java.nio.file carry only a file name, no
     * reason, so theirs is put in words.
     */
    private static FileSystemException aboutTarget(FileSystemException e, Path target) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such folder"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        FileSystemException told = new FileSystemException(target.toString(), null, reason);
        told.initCause(e);
        return told;
    }

    /**
     * Deletes the temporary files that writes into {@code directory} left behind when their process was
     * killed before it could remove them. Only files named as {@link #write} names them are touched, and
     * only the caller can know that no write is under way there (a training run holds its folder's lock).
     */
    public static void removeLeftovers(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (TEMPORARY.matcher(f.getFileName().toString()).matches()) Files.deleteIfExists(f);
            }
        }
    }
}
