package cebm.train;

import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.model.Models;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of a training run, in one immutable record: the single place where a setting is
 * named, described, given its default and checked. The command line makes an option of each
 * component ({@code bufferSize} is {@code --buffer-size}, described by its {@link Setting}); a
 * preset is a record, and options change it through {@link #with}; the compact constructor checks
 * every value, so no record holds an invalid one. Written to the run folder and into every
 * checkpoint as JSON, so a run can be repeated and a checkpoint knows how it was made.
 *
 * <p>Sign convention: energy E(x) = −log p(x) + const; SGLD moves images downhill in energy.
 */
public record TrainConfig(
        @Setting("quick (default), code-mnist, paper-mnist, paper-cifar.") String preset,
        @Setting("synthetic, mnist, fashion-mnist or cifar10.") String data,
        @Setting("Folder with the data files (or with mnist/, fashion-mnist/, cifar-10/ in it). Default: data; a resumed run: the run's.")
        String dataDir,
        @Setting("cebm, gmm-cebm or igebm.") String model,
        @Setting("paper28, paper32 or code28.") String arch,
        @Setting("Latent dimensions K.") int latent,
        @Setting("Mixture components of gmm-cebm.") int components,
        @Setting("Train the mixture's means and log-stds (gmm-cebm).") boolean learnBias,
        @Setting("Images per step (data and chains each).") int batch,
        @Setting("Gradient steps in total.") int steps,
        @Setting("Adam learning rate.") float lr,
        @Setting("Weight of the energy regulariser mean(E_data^2) + mean(E_model^2).") float gamma,
        @Setting("Std of the Gaussian noise added to data images.") float dataNoise,
        @Setting("SGLD steps per gradient step.") int sgldSteps,
        @Setting("Coefficient of dE/dx in the SGLD update (alpha/2 in the paper).") float sgldStep,
        @Setting("Std of the SGLD noise.") float sgldNoise,
        @Setting("Replay buffer size.") int bufferSize,
        @Setting("Probability in [0,1] that a chain continues from the buffer.") float reuse,
        @Setting("Seed of every random number of the run.") long seed,
        @Setting("Steps between metrics lines.") int logEvery,
        @Setting("Steps between checkpoints.") int checkpointEvery,
        @Setting("Minutes of training between checkpoints as well, so that a crash loses little of a slow run; "
                + "0: by --checkpoint-every only.") double checkpointMinutes,
        @Setting("Steps between sample pictures.") int sampleEvery,
        @Setting("SGLD steps of the short-run samples from noise in the pictures.") int sampleSteps,
        @Setting("Steps between measurements of the learning probe (probe.csv, probe.png: few-label accuracy on fixed "
                + "images, and how confidently a pixel classifier reads the buffer and samples from noise, and how many "
                + "classes); 0: a twentieth of the run.") int probeEvery,
        @Setting("|loss| above this counts as divergence, as does a non-finite loss or energy.") double lossBound,
        @Setting("An energy (mean E_data or E_model of a step) above this many times the run's recent energy scale counts "
                + "as divergence; the scale is the average of max(|E_data|, |E_model|) over about the last 100 steps, taken "
                + "as at least 1. Divergence rolls back to the last checkpoint with a smaller learning rate and fresh random "
                + "numbers.") double divergenceFactor,
        @Setting("Rollbacks to the last checkpoint before giving up.") int maxRollbacks,
        @Setting("Learning-rate factor in (0,1] applied on each rollback.") float rollbackLrFactor,
        @Setting("SGLD steps added on each rollback.") int rollbackExtraSgldSteps) {

    /** The help text of a setting's command-line option. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Setting {
        String value();
    }

    public static final List<String> PRESETS = List.of("quick", "paper-mnist", "paper-cifar", "code-mnist");
    /**
     * The settings that make a run: its network, data, batch, replay buffer and seed. A resumed run keeps them, and a
     * checkpoint's configuration must name each; the settings added since the first checkpoints may be missing from
     * old ones, and take their defaults.
     */
    public static final List<String> RUN_SETTINGS = List.of("preset", "data", "model", "arch", "latent", "components", "learnBias",
            "batch", "bufferSize", "seed");
    private static final List<String> MODELS = List.of("cebm", "gmm-cebm", "igebm");

    /** Checks every value; the message names the option and says what is allowed. */
    public TrainConfig {
        if (!PRESETS.contains(preset) && !preset.equals("toy")) throw new IllegalArgumentException(unknownPreset(preset));
        // A resumed run reads its data from the same folder, wherever it is resumed from.
        if (dataDir != null) dataDir = Path.of(dataDir).toAbsolutePath().toString();
        positive("batch", batch);
        positive("steps", steps);
        positive("latent", latent);
        positive("components", components);
        positive("bufferSize", bufferSize);
        positive("logEvery", logEvery);
        positive("checkpointEvery", checkpointEvery);
        positive("sampleEvery", sampleEvery);
        nonNegative("probeEvery", probeEvery);
        nonNegative("sgldSteps", sgldSteps);
        nonNegative("sampleSteps", sampleSteps);
        nonNegative("maxRollbacks", maxRollbacks);
        nonNegative("rollbackExtraSgldSteps", rollbackExtraSgldSteps);
        if (!(reuse >= 0 && reuse <= 1)) throw new IllegalArgumentException("--reuse must be in [0, 1], got " + reuse);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(gamma >= 0)) throw new IllegalArgumentException("--gamma must be ≥ 0, got " + gamma);
        if (!(sgldStep >= 0) || !(sgldNoise >= 0) || !(dataNoise >= 0)) {
            throw new IllegalArgumentException("--sgld-step, --sgld-noise and --data-noise must be ≥ 0");
        }
        if (!(rollbackLrFactor > 0 && rollbackLrFactor <= 1)) {
            throw new IllegalArgumentException("--rollback-lr-factor must be in (0, 1], got " + rollbackLrFactor);
        }
        if (!(lossBound > 0)) throw new IllegalArgumentException("--loss-bound must be > 0, got " + lossBound);
        if (!(divergenceFactor > 1)) throw new IllegalArgumentException("--divergence-factor must be > 1, got " + divergenceFactor);
        if (!(checkpointMinutes >= 0)) throw new IllegalArgumentException("--checkpoint-minutes must be ≥ 0, got " + checkpointMinutes);
        if (!MODELS.contains(model)) throw new IllegalArgumentException("--model must be cebm, gmm-cebm or igebm, got '" + model + "'");
        String name = arch;
        // The toy playground's points go through its own two-dimensional network (cebm.toy.ToySetup).
        if (!preset.equals("toy") && Architecture.ALL.stream().noneMatch(a -> a.name().equals(name))) {
            throw new IllegalArgumentException("--arch must be paper28, paper32 or code28, got '" + arch + "'");
        }
    }

    /** The defaults: the {@code quick} preset, on the embedded synthetic digits. */
    public static TrainConfig defaults() {
        return new TrainConfig("quick", "synthetic", null, "cebm", "code28", 128, 10, true,
                64, 300, 2e-4f, 5e-3f, 0.03f,
                20, 1.0f, 7.5e-3f, 5000, 0.95f,
                0, 10, 100, 10, 100, 60, 0,
                1e8, 100, 3, 0.5f, 0);
    }

    /** A configuration with the named preset's values. */
    public static TrainConfig preset(String name) {
        TrainConfig quick = defaults();
        return switch (name) {
            case "quick" -> quick;
            // The authors' code: batch 100, lr 5e-5, γ 5e-3, 60 SGLD steps of size 1 and noise 7.5e-3,
            // 150 epochs of 600 steps.
            case "code-mnist" -> quick.with(Map.of("preset", name, "data", "mnist", "batch", 100, "steps", 90_000, "lr", 5e-5f,
                    "sgldSteps", 60, "logEvery", 50, "checkpointEvery", 1000, "sampleEvery", 1000, "probeEvery", 500));
            // The paper's text (supplement C): batch 128, lr 1e-4, γ 0.1, data noise of variance
            // 0.03, 60 SGLD steps, 90k steps. Its SGLD, α = 0.075 (a step of α/2 on the gradient)
            // with noise ε ~ N(0, α), does not train: noise of std √α ≈ 0.27 against a gradient
            // step of 0.0375 keeps the chains noise, the buffer never holds a digit and E_model
            // stays far above E_data. The SGLD step and noise are therefore the authors' code's.
            case "paper-mnist", "paper-cifar" -> quick.with(Map.ofEntries(Map.entry("preset", name),
                    Map.entry("data", name.equals("paper-mnist") ? "mnist" : "cifar10"),
                    Map.entry("arch", name.equals("paper-mnist") ? "paper28" : "paper32"),
                    Map.entry("batch", 128), Map.entry("steps", 90_000), Map.entry("lr", 1e-4f), Map.entry("gamma", 0.1f),
                    Map.entry("dataNoise", (float) Math.sqrt(0.03)), Map.entry("sgldSteps", 60), Map.entry("logEvery", 50),
                    Map.entry("checkpointEvery", 1000), Map.entry("sampleEvery", 1000), Map.entry("probeEvery", 500)));
            default -> throw new IllegalArgumentException(unknownPreset(name));
        };
    }

    private static String unknownPreset(String name) {
        return "unknown preset '" + name + "'; choose one of " + String.join(", ", PRESETS);
    }

    /** This configuration with one setting changed. */
    public TrainConfig with(String setting, Object value) {
        return with(Map.of(setting, value));
    }

    /**
     * This configuration with the given settings changed (by component name); the new record is
     * checked like every other. A name that is no setting, or a value of the wrong type, is refused.
     */
    public TrainConfig with(Map<String, ?> changes) {
        RecordComponent[] components = TrainConfig.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Map<String, Object> left = new LinkedHashMap<>(changes);
        try {
            for (int i = 0; i < components.length; i++) {
                String name = components[i].getName();
                values[i] = left.containsKey(name) ? exactly(components[i], left.remove(name)) : components[i].getAccessor().invoke(this);
            }
            if (!left.isEmpty()) throw new IllegalArgumentException("no such setting: " + String.join(", ", left.keySet()));
            Constructor<TrainConfig> canonical = TrainConfig.class.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as the setting's type, where it converts without loss (an int for a float, say); else refused. */
    private static Object exactly(RecordComponent setting, Object value) {
        Class<?> type = setting.getType();
        boolean fits = value == null ? !type.isPrimitive()
                : type == double.class ? value instanceof Number
                : type == float.class ? value instanceof Float || value instanceof Integer
                : type == long.class ? value instanceof Long || value instanceof Integer
                : type == int.class ? value instanceof Integer
                : type == boolean.class ? value instanceof Boolean
                : type.isInstance(value);
        if (!fits) throw new IllegalArgumentException(option(setting.getName()) + " takes a " + type.getSimpleName() + ", not " + value);
        if (value instanceof Number n) {
            if (type == double.class) return n.doubleValue();
            if (type == float.class) return n.floatValue();
            if (type == long.class) return n.longValue();
        }
        return value;
    }

    /** bufferSize → --buffer-size: the command-line option of a setting. */
    public static String option(String setting) {
        return "--" + setting.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** One line per preset with the values it sets, for {@code train --help}. */
    public static String presetSummary() {
        StringBuilder text = new StringBuilder();
        for (String name : PRESETS) {
            TrainConfig c = preset(name);
            // Three short lines each: help is wrapped at 80 columns.
            text.append(String.format(Locale.ROOT, "  %-12s %s, %s %s, batch %d, %,d steps,%n"
                            + "  %-12s lr %s, gamma %s, data noise %.3g, reuse %s,%n"
                            + "  %-12s %d SGLD steps of step %s and noise %s, buffer %d%n",
                    name, c.data, c.model, c.arch, c.batch, c.steps,
                    "", c.lr, c.gamma, c.dataNoise, c.reuse,
                    "", c.sgldSteps, c.sgldStep, c.sgldNoise, c.bufferSize));
        }
        return text.toString();
    }

    /** Steps between probes: {@link #probeEvery}, or a twentieth of the run where that is 0. */
    public int probeInterval() {
        return probeEvery > 0 ? probeEvery : Math.max(1, steps / 20);
    }

    /** A freshly initialised model of this configuration (its weights drawn from {@link #seed}). */
    public EnergyModel newModel() {
        return Models.create(model, Architecture.named(arch), latent, components, learnBias, seed);
    }

    private static void positive(String setting, int value) {
        if (value <= 0) throw new IllegalArgumentException(option(setting) + " must be > 0, got " + value);
    }

    private static void nonNegative(String setting, int value) {
        if (value < 0) throw new IllegalArgumentException(option(setting) + " must be ≥ 0, got " + value);
    }
}
