package cebm.train;

import cebm.autograd.Adam;
import cebm.autograd.Variable;
import cebm.data.Dataset;
import cebm.io.Dtype;
import cebm.io.Safetensors;
import cebm.io.SafetensorsException;
import cebm.io.SafetensorsFile;
import cebm.io.TensorEntry;
import cebm.model.EnergyModel;
import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
        out.putLongs("state.sgld_steps", new long[] {trainer.pace().sgldSteps()}, 1);
        out.putLongs("state.random", new long[] {trainer.random().seed(), trainer.random().counter()}, 2);
        out.putFloats("state.lr", new float[] {trainer.pace().learningRate()}, 1);
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
        Contents in = Contents.read(checkpoint);
        SafetensorsFile.Builder b = SafetensorsFile.builder();
        for (Map.Entry<String, Variable> p : in.config().newModel().parameters().asMap().entrySet()) {
            int[] shape = p.getValue().value().shape();
            b.putFloats(p.getKey(), in.floats(p.getKey(), shape, in.model()), shape);
        }
        b.putLongs("state.step", new long[] {in.step()}, 1);
        in.content().metadata().forEach(b::putMetadata);
        Safetensors.write(out, b.build());
    }

    /** Loads a checkpoint into an existing trainer of the same configuration (resume and rollback). */
    public static void restore(Path file, Trainer trainer) throws IOException {
        restore(Contents.read(file), trainer);
    }

    /** The configuration a checkpoint was trained with. */
    public static TrainConfig config(Path file) throws IOException {
        return Contents.read(file).config();
    }

    /** The number of gradient steps the checkpoint's model was trained for. */
    public static long step(Path file) throws IOException {
        return Contents.read(file).step();
    }

    /** The seconds the run had trained for at the checkpoint; empty for checkpoints written before it was kept. */
    public static OptionalDouble wallSeconds(Path file) throws IOException {
        String seconds = Safetensors.read(file).metadata().get(WALL_SECONDS);
        return seconds == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(seconds));
    }

    /** Rebuilds the model of a checkpoint with its trained parameters, on the CPU (for sample, encode, eval). */
    public static EnergyModel loadModel(Path file) throws IOException {
        Contents in = Contents.read(file);
        EnergyModel model = in.config().newModel();
        for (Map.Entry<String, Variable> p : model.parameters().asMap().entrySet()) {
            in.copyInto(p.getValue().value(), p.getKey());
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
        Contents in = Contents.read(file);
        EnergyModel model = c.newModel();
        model.parameters().moveTo(backend);
        Trainer trainer = new Trainer(c, model, data);
        restore(in, trainer);
        return trainer;
    }

    private static void restore(Contents in, Trainer trainer) throws IOException {
        List<Map.Entry<String, Variable>> parameters = new ArrayList<>(trainer.model().parameters().asMap().entrySet());
        Adam adam = trainer.optimizer();
        for (int i = 0; i < parameters.size(); i++) {
            String name = parameters.get(i).getKey();
            in.copyInto(parameters.get(i).getValue().value(), name);
            in.copyInto(adam.firstMoment(i), "adam.m." + name);
            in.copyInto(adam.secondMoment(i), "adam.v." + name);
        }
        // The fresh trainer's buffer has the shape the run's configuration gives it.
        int[] bufferShape = trainer.buffer().images().shape();
        Tensor images = Tensors.of(in.floats("buffer.images", bufferShape, Contents.RUN), bufferShape);
        long[] random = in.longs("state.random", 2);
        adam.setStepCount((int) in.longs("state.adam_step", 1)[0]);
        trainer.restore((int) in.step(),
                new Trainer.Pace(in.floats("state.lr", new int[] {1}, Contents.RUN)[0], (int) in.longs("state.sgld_steps", 1)[0]),
                new RandomStream(random[0], random[1]),
                new ReplayBuffer(images.to(trainer.model().parameters().backend()), trainer.config().reuse()));
    }

    /**
     * The configuration in a checkpoint's metadata, held to what a run needs: every one of {@link TrainConfig#RUN_SETTINGS}
     * (a default in place of one would build another network, or read other data) and valid values.
     */
    private static TrainConfig config(SafetensorsFile in, Path file) throws IOException {
        String format = in.metadata().get("format");
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": not a cebm checkpoint (metadata format is " + format + ", expected " + FORMAT + ")");
        }
        String json = in.metadata().get("config");
        if (json == null) throw new SafetensorsException(file, "no configuration in the metadata (config), so no model to build");
        try {
            JsonNode settings = JSON.readTree(json);
            if (!settings.isObject()) {
                throw new SafetensorsException(file, "the configuration in the metadata is not a JSON object but "
                        + settings.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            for (String setting : TrainConfig.RUN_SETTINGS) {
                if (!settings.has(setting)) throw new SafetensorsException(file, "the configuration in the metadata has no " + setting);
            }
            // Settings added after a checkpoint was written take their defaults.
            ObjectNode complete = JSON.valueToTree(TrainConfig.defaults());
            complete.setAll((ObjectNode) settings);
            return JSON.treeToValue(complete, TrainConfig.class);
        } catch (ValueInstantiationException e) {
            // The record refused a value: its own one-line message names the option.
            throw new SafetensorsException(file, "the configuration in the metadata is invalid: " + e.getCause().getMessage(), e);
        } catch (JsonMappingException e) {
            // Jackson's own message adds its location on a second line; the setting's name says where instead.
            String where = e.getPath().isEmpty() ? "is invalid" : "has an invalid " + e.getPath().get(0).getFieldName();
            throw new SafetensorsException(file, "the configuration in the metadata " + where + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(file, "the configuration in the metadata is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file, "the configuration in the metadata is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * A checkpoint file read whole, with the configuration it was trained with. Every tensor is taken
     * from it through {@link #tensor}, which holds it to what the reader expects: the dtype, the
     * exact shape (a tensor of the right size in another layout would load as scrambled weights), and
     * for floats, finite values (NaN weights sample black pictures and break an evaluation far from
     * the file that caused it). A mismatch is one line that names the file, the tensor, what was
     * expected and what was found.
     */
    private record Contents(Path file, SafetensorsFile content, TrainConfig config) {
        /** What expects the tensors that are not the model's (the replay buffer and the counters), in messages. */
        static final String RUN = "the run";

        static Contents read(Path file) throws IOException {
            SafetensorsFile content = Safetensors.read(file);
            return new Contents(file, content, Checkpoint.config(content, file));
        }

        /** What expects the parameters and Adam's moments, in messages: "the model (cebm, code28)". */
        String model() {
            return "the model (" + config.model() + ", " + config.arch() + ")";
        }

        long step() throws SafetensorsException {
            return longs("state.step", 1)[0];
        }

        /** Overwrites {@code target} in place (on whichever backend it is) with the model's tensor {@code name}. */
        void copyInto(Tensor target, String name) throws SafetensorsException {
            int[] shape = target.shape();
            target.backend().copyInto(target, Tensors.of(floats(name, shape, model()), shape));
        }

        float[] floats(String name, int[] shape, String expectedBy) throws SafetensorsException {
            float[] values = tensor(name, Dtype.F32, shape, expectedBy).floats();
            int nonFinite = 0, first = -1;
            for (int i = 0; i < values.length; i++) {
                if (Float.isFinite(values[i])) continue;
                if (nonFinite++ == 0) first = i;
            }
            if (nonFinite > 0) {
                throw new SafetensorsException(file, "tensor " + name + " holds " + nonFinite + " non-finite value"
                        + (nonFinite == 1 ? "" : "s") + " (first at element " + first + ": " + values[first]
                        + "); the checkpoint cannot be used");
            }
            return values;
        }

        long[] longs(String name, int... shape) throws SafetensorsException {
            return tensor(name, Dtype.I64, shape, RUN).longs();
        }

        private TensorEntry tensor(String name, Dtype dtype, int[] shape, String expectedBy) throws SafetensorsException {
            TensorEntry t = content.tensors().get(name);
            if (t == null) throw new SafetensorsException(file, "checkpoint has no tensor '" + name + "'");
            if (t.dtype() != dtype) {
                throw new SafetensorsException(file, "tensor " + name + " has dtype " + t.dtype() + ", " + expectedBy + " expects " + dtype);
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new SafetensorsException(file, "tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", "
                        + expectedBy + " expects " + Arrays.toString(shape));
            }
            return t;
        }
    }

    private static void put(SafetensorsFile.Builder out, String name, Tensor t) {
        out.putFloats(name, t.toArray(), t.shape());
    }
}
