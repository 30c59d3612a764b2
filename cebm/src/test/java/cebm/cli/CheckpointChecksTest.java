package cebm.cli;

import cebm.io.Dtype;
import cebm.io.Safetensors;
import cebm.io.SafetensorsFile;
import cebm.io.TensorEntry;
import cebm.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A checkpoint whose tensors are not what its model needs is refused by every command that reads it,
 * in one line that names the file, the tensor, what was expected and what was found, with exit code 2
 * and nothing written. The damaged files are the checkpoint of a real two-step run, rewritten.
 */
class CheckpointChecksTest {
    @TempDir
    static Path dir;
    private static SafetensorsFile trained;

    @BeforeAll
    static void trainTwoSteps() throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, Main.execute("train", "--quiet", "--steps", "2", "--batch", "4", "--sgld-steps", "2", "--buffer-size", "20",
                "--sample-steps", "1", "--out", run.toString()));
        trained = Safetensors.read(run.resolve(TrainingRun.CHECKPOINT));
    }

    @Test
    void aTensorOfAnotherDtypeWithTheSameBytesIsRefused() throws IOException {
        float[] weights = trained.tensor("conv0.weight").floats();
        int[] bits = new int[weights.length];
        for (int i = 0; i < bits.length; i++) bits[i] = Float.floatToRawIntBits(weights[i]);
        Path checkpoint = write("i32", trainedWithout("conv0.weight").putInts("conv0.weight", bits, 32, 1, 3, 3));
        assertEveryCommandRefuses(checkpoint, "tensor conv0.weight has dtype I32, the model (cebm, code28) expects F32");
    }

    @Test
    void aTensorOfAnotherShapeWithTheSameElementCountIsRefused() throws IOException {
        float[] weights = trained.tensor("conv0.weight").floats();
        Path checkpoint = write("permuted", trainedWithout("conv0.weight").putFloats("conv0.weight", weights, 16, 2, 3, 3));
        assertEveryCommandRefuses(checkpoint,
                "tensor conv0.weight has shape [16, 2, 3, 3], the model (cebm, code28) expects [32, 1, 3, 3]");
    }

    @Test
    void nonFiniteWeightsAreRefused() throws IOException {
        float[] weights = trained.tensor("head1.bias").floats();
        Arrays.fill(weights, 7, 18, Float.NaN);
        weights[30] = Float.NEGATIVE_INFINITY;
        Path checkpoint = write("nan", trainedWithout("head1.bias").putFloats("head1.bias", weights, weights.length));
        assertEveryCommandRefuses(checkpoint,
                "tensor head1.bias holds 12 non-finite values (first at element 7: NaN); the checkpoint cannot be used");
    }

    /** Tensors of one architecture under the configuration of another: the first layer of each tells them apart. */
    @Test
    void tensorsOfAnotherArchitectureAreRefused() throws IOException {
        SafetensorsFile.Builder paper28 = trainedWithout("arch", "config")
                .putMetadata("arch", "paper28")
                .putMetadata("config", trained.metadata().get("config").replace("\"arch\":\"code28\"", "\"arch\":\"paper28\""));
        Path checkpoint = write("arch", paper28);
        assertEveryCommandRefuses(checkpoint,
                "tensor conv0.weight has shape [32, 1, 3, 3], the model (cebm, paper28) expects [64, 1, 3, 3]");
    }

    @Test
    void aResumeChecksAdamsMomentsTheBufferAndTheCounters() throws IOException {
        TensorEntry secondMoment = trained.tensor("adam.v.head1.weight");
        float[] moment = secondMoment.floats();
        moment[3] = Float.POSITIVE_INFINITY;
        assertResumeRefuses(write("moment", trainedWithout("adam.v.head1.weight").putFloats("adam.v.head1.weight", moment, secondMoment.shape())),
                "tensor adam.v.head1.weight holds 1 non-finite value (first at element 3: Infinity); the checkpoint cannot be used");

        float[] buffer = trained.tensor("buffer.images").floats();
        assertResumeRefuses(write("buffer", trainedWithout("buffer.images").putFloats("buffer.images", buffer, 10, 2, 28, 28)),
                "tensor buffer.images has shape [10, 2, 28, 28], the run expects [20, 1, 28, 28]");

        long[] random = trained.tensor("state.random").longs();
        int[] halves = {(int) random[0], (int) (random[0] >>> 32), (int) random[1], (int) (random[1] >>> 32)};
        assertResumeRefuses(write("random", trainedWithout("state.random").putInts("state.random", halves, 2, 2)),
                "tensor state.random has dtype I32, the run expects I64");
    }

    /** The trained checkpoint's tensors and metadata, except those named, ready for replacements. */
    private static SafetensorsFile.Builder trainedWithout(String... names) {
        Set<String> leftOut = Set.of(names);
        SafetensorsFile.Builder copy = SafetensorsFile.builder();
        for (TensorEntry t : trained.tensors().values()) {
            if (leftOut.contains(t.name())) continue;
            if (t.dtype() == Dtype.F32) copy.putFloats(t.name(), t.floats(), t.shape());
            else copy.putLongs(t.name(), t.longs(), t.shape());
        }
        trained.metadata().forEach((key, value) -> {
            if (!leftOut.contains(key)) copy.putMetadata(key, value);
        });
        return copy;
    }

    /** Writes a run folder holding only the checkpoint built; returns the checkpoint file. */
    private static Path write(String folder, SafetensorsFile.Builder checkpoint) throws IOException {
        Path file = Files.createDirectories(dir.resolve(folder)).resolve(TrainingRun.CHECKPOINT);
        Safetensors.write(file, checkpoint.build());
        return file;
    }

    private static void assertEveryCommandRefuses(Path checkpoint, String problem) throws IOException {
        Path run = checkpoint.getParent(), out = run.resolveSibling(run.getFileName() + "-out");
        assertRefuses(checkpoint, problem, "sample", "--checkpoint", run.toString(), "--steps", "1", "--count", "2",
                "--out", out.resolve("samples.png").toString());
        assertRefuses(checkpoint, problem, "eval", "--quiet", "--checkpoint", run.toString(), "--out", out.resolve("eval").toString(),
                "--test-limit", "24", "--train-limit", "100", "--no-baselines", "--samples", "2", "--sample-steps", "1");
        assertRefuses(checkpoint, problem, "encode", "--checkpoint", run.toString(), "--out", out.resolve("encoded.csv").toString());
        assertRefuses(checkpoint, problem, "export", "--checkpoint", run.toString(), "--out", out.resolve("model.safetensors").toString());
        assertFalse(Files.exists(out), "nothing written");
        assertResumeRefuses(checkpoint, problem);
    }

    /** A refused resume leaves the run folder as it was: no lock, configuration, metrics or pictures, the checkpoint untouched. */
    private static void assertResumeRefuses(Path checkpoint, String problem) throws IOException {
        byte[] before = Files.readAllBytes(checkpoint);
        assertRefuses(checkpoint, problem, "train", "--quiet", "--resume", checkpoint.getParent().toString(), "--steps", "3");
        assertArrayEquals(before, Files.readAllBytes(checkpoint));
        try (Stream<Path> files = Files.list(checkpoint.getParent())) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertEquals(Set.of(TrainingRun.CHECKPOINT), names, "only the checkpoint");
        }
    }

    private static void assertRefuses(Path checkpoint, String problem, String... args) {
        Object[] result = CommandLineTest.run(args);
        String command = List.of(args).get(0);
        assertEquals(Main.USAGE_ERROR, result[0], (String) result[1]);
        assertEquals("cebm " + command + ": " + checkpoint + ": " + problem, ((String) result[1]).strip(), "one line, no stack trace");
    }
}
