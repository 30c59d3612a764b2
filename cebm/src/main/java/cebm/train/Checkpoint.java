package cebm.train;

import cebm.autograd.Adam;
import cebm.autograd.Variable;
import cebm.data.Dataset;
import cebm.io.Safetensors;
import cebm.io.SafetensorsFile;
import cebm.io.TensorEntry;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A training run's whole state in one safetensors file, written atomically: the parameters under
 * their PyTorch names ({@code conv0.weight}, …, {@code head2.bias}), Adam's moments
 * ({@code adam.m.<name>}, {@code adam.v.<name>}), the replay buffer, and the counters (step,
 * Adam's step, SGLD steps, learning rate, random stream). The configuration travels in the
 * metadata as JSON, and so do the seconds the run had trained for ({@code wall_s}). Loading all of
 * it back continues a run exactly.
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FORMAT = "cebm-checkpoint-1";
    private static final String WALL_SECONDS = "wall_s";

    private Checkpoint() {}

    /** @param wallSeconds the seconds the run has trained for, over all its stretches */
    public static void save(Path file, Trainer trainer, double wallSeconds) throws IOException {
        SafetensorsFile.Builder out = SafetensorsFile.builder();
        Adam adam = trainer.optimizer();
        int i = 0;
        for (Map.Entry<String, Variable> p : trainer.model().parameters().asMap().entrySet()) {
            put(out, p.getKey(), p.getValue().value());
            put(out, "adam.m." + p.getKey(), adam.firstMoment(i));
            put(out, "adam.v." + p.getKey(), adam.secondMoment(i));
            i++;
        }
        put(out, "buffer.images", trainer.buffer().images());
        out.putLongs("state.step", new long[] {trainer.stepCount()}, 1);
        out.putLongs("state.adam_step", new long[] {adam.stepCount()}, 1);
        out.putLongs("state.sgld_steps", new long[] {trainer.sgldSteps()}, 1);
        out.putLongs("state.random", new long[] {trainer.random().seed(), trainer.random().counter()}, 2);
        out.putFloats("state.lr", new float[] {adam.learningRate()}, 1);
        out.putMetadata("format", FORMAT);
        out.putMetadata("model", trainer.model().kind());
        out.putMetadata("arch", trainer.model().architecture().name());
        out.putMetadata("config", JSON.writeValueAsString(trainer.config()));
        out.putMetadata(WALL_SECONDS, Double.toString(wallSeconds));
        Safetensors.write(file, out.build());
    }

    /**
     * Copies a checkpoint's parameters, step and metadata, and nothing else, into {@code out}: what
     * {@link #loadModel}, {@link #config} and {@link #step} read, not what resuming needs.
     */
    public static void saveParameters(Path checkpoint, Path out) throws IOException {
        SafetensorsFile in = Safetensors.read(checkpoint);
        TrainConfig c = config(in, checkpoint);
        SafetensorsFile.Builder b = SafetensorsFile.builder();
        for (String name : c.newModel().parameters().asMap().keySet()) {
            TensorEntry e = entry(in, name, checkpoint);
            b.putFloats(name, e.floats(), e.shape());
        }
        b.putLongs("state.step", entry(in, "state.step", checkpoint).longs(), 1);
        in.metadata().forEach(b::putMetadata);
        Safetensors.write(out, b.build());
    }

    /** Loads a checkpoint into an existing trainer of the same configuration (resume and rollback). */
    public static void restore(Path file, Trainer trainer) throws IOException {
        restore(Safetensors.read(file), trainer, file);
    }

    /** The configuration a checkpoint was trained with. */
    public static TrainConfig config(Path file) throws IOException {
        return config(Safetensors.read(file), file);
    }

    /** The number of gradient steps the checkpoint's model was trained for. */
    public static long step(Path file) throws IOException {
        return entry(Safetensors.read(file), "state.step", file).longs()[0];
    }

    /** The seconds the run had trained for at the checkpoint; empty for checkpoints written before it was kept. */
    public static OptionalDouble wallSeconds(Path file) throws IOException {
        String seconds = Safetensors.read(file).metadata().get(WALL_SECONDS);
        return seconds == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(seconds));
    }

    /** Rebuilds the model of a checkpoint with its trained parameters, on the CPU (for sample, encode, eval). */
    public static EnergyModel loadModel(Path file) throws IOException {
        SafetensorsFile in = Safetensors.read(file);
        TrainConfig c = config(in, file);
        EnergyModel model = c.newModel();
        for (String name : model.parameters().asMap().keySet()) {
            model.parameters().load(name, entry(in, name, file).floats());
        }
        return model;
    }

    /**
     * A trainer for a checkpoint's configuration on {@code data}, with the checkpoint's state loaded,
     * training on {@code backend} (which need not be the one the checkpoint was written from).
     */
    public static Trainer resume(Path file, Dataset data, Backend backend) throws IOException {
        return resume(file, config(file), data, backend);
    }

    /**
     * The same, continuing under {@code c}: the checkpoint's configuration with the settings that may
     * change between stretches of training changed (the caller checks that the rest is the same).
     */
    public static Trainer resume(Path file, TrainConfig c, Dataset data, Backend backend) throws IOException {
        SafetensorsFile in = Safetensors.read(file);
        EnergyModel model = c.newModel();
        model.parameters().moveTo(backend);
        Trainer trainer = new Trainer(c, model, data);
        restore(in, trainer, file);
        return trainer;
    }

    private static void restore(SafetensorsFile in, Trainer trainer, Path file) throws IOException {
        List<String> names = new ArrayList<>(trainer.model().parameters().asMap().keySet());
        Adam adam = trainer.optimizer();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            trainer.model().parameters().load(name, entry(in, name, file).floats());
            copy(entry(in, "adam.m." + name, file), adam.firstMoment(i));
            copy(entry(in, "adam.v." + name, file), adam.secondMoment(i));
        }
        TensorEntry images = entry(in, "buffer.images", file);
        long[] random = entry(in, "state.random", file).longs();
        adam.setStepCount((int) entry(in, "state.adam_step", file).longs()[0]);
        trainer.restore((int) entry(in, "state.step", file).longs()[0],
                (int) entry(in, "state.sgld_steps", file).longs()[0],
                entry(in, "state.lr", file).floats()[0],
                new RandomStream(random[0], random[1]),
                new ReplayBuffer(Tensor.of(images.floats(), images.shape()).to(trainer.model().parameters().backend()),
                        trainer.config().reuse));
    }

    private static TrainConfig config(SafetensorsFile in, Path file) throws IOException {
        String format = in.metadata().get("format");
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": not a cebm checkpoint (metadata format is " + format + ", expected " + FORMAT + ")");
        }
        return JSON.readValue(in.metadata().get("config"), TrainConfig.class);
    }

    private static TensorEntry entry(SafetensorsFile in, String name, Path file) throws IOException {
        TensorEntry e = in.tensors().get(name);
        if (e == null) throw new IOException(file + ": checkpoint has no tensor '" + name + "'");
        return e;
    }

    private static void put(SafetensorsFile.Builder out, String name, Tensor t) {
        out.putFloats(name, t.toArray(), t.shape());
    }

    private static void copy(TensorEntry from, Tensor to) {
        to.backend().copyInto(to, Tensor.of(from.floats(), from.shape()));
    }
}
