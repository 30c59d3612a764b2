package cebm.train;

import cebm.model.Architecture;
import cebm.model.EnergyModel;
import cebm.model.Models;

import java.util.List;
import java.util.Locale;

/**
 * Every setting of a training run, with the paper's and the authors' code's values as presets. Written to the
 * run folder as JSON, so a run can be repeated and a checkpoint knows how it was made.
 *
 * <p>Sign convention: energy E(x) = −log p(x) + const; SGLD moves images downhill in energy.
 */
public final class TrainConfig {
    public static final List<String> PRESETS = List.of("quick", "paper-mnist", "paper-cifar", "code-mnist");
    /**
     * The settings that make a run: its network, data, batch, replay buffer and seed. A resumed run keeps them, and a
     * checkpoint's configuration must name each; the settings added since the first checkpoints may be missing from
     * old ones, and take their defaults.
     */
    public static final List<String> RUN_SETTINGS = List.of("preset", "data", "model", "arch", "latent", "components", "learnBias",
            "batch", "bufferSize", "seed");

    public String preset = "quick";
    /** synthetic (embedded, no files), mnist, fashion-mnist or cifar10. */
    public String data = "synthetic";
    /** The folder the data files were read from, as an absolute path: a resumed run reads them there again. */
    public String dataDir;
    /** cebm (spherical Gaussian bias), gmm-cebm (mixture bias) or igebm (baseline). */
    public String model = "cebm";
    public String arch = "code28";
    public int latent = 128;
    public int components = 10;
    public boolean learnBias = true;

    public int batch = 64;
    public int steps = 300;
    public float lr = 2e-4f;
    /** γ of the loss's energy regulariser γ(E_data² + E_model²). */
    public float gamma = 5e-3f;
    public float dataNoise = 0.03f;

    public int sgldSteps = 20;
    /** The coefficient on ∇x E (α/2 in the paper's notation). */
    public float sgldStep = 1.0f;
    /** The standard deviation of the Langevin noise. */
    public float sgldNoise = 7.5e-3f;
    public int bufferSize = 5000;
    /** Probability that a chain continues from the buffer rather than restarting from noise. */
    public float reuse = 0.95f;

    public long seed = 0;
    public int logEvery = 10;
    public int checkpointEvery = 100;
    /** Minutes of training between checkpoints, besides every {@link #checkpointEvery} steps; 0: by steps only. */
    public double checkpointMinutes = 10;
    public int sampleEvery = 100;
    /** SGLD steps of the short-run samples from noise drawn for the pictures. */
    public int sampleSteps = 60;
    /** Steps between measurements of the learning probe (probe.csv, probe.png); 0: a twentieth of the run. */
    public int probeEvery = 0;

    /** |loss| above this (or a non-finite loss or energy) counts as divergence. */
    public double lossBound = 1e8;
    /**
     * An energy more than this many times the run's recent energy scale counts as divergence
     * ({@link Trainer#energyScale}).
     */
    public double divergenceFactor = 100;
    public int maxRollbacks = 3;
    /** On a rollback the learning rate is multiplied by this. */
    public float rollbackLrFactor = 0.5f;
    /** On a rollback the number of SGLD steps grows by this. */
    public int rollbackExtraSgldSteps = 0;

    /** A configuration with the named preset's values. */
    public static TrainConfig preset(String name) {
        TrainConfig c = new TrainConfig();
        c.preset = name;
        switch (name) {
            case "quick" -> { }
            case "code-mnist" -> {
                // The authors' code: batch 100, lr 5e-5, γ 5e-3, 60 SGLD steps of size 1 and noise 7.5e-3,
                // 150 epochs of 600 steps.
                c.data = "mnist";
                c.batch = 100;
                c.steps = 90_000;
                c.lr = 5e-5f;
                c.sgldSteps = 60;
                c.logEvery = 50;
                c.checkpointEvery = 1000;
                c.sampleEvery = 1000;
                c.probeEvery = 500;
            }
            case "paper-mnist", "paper-cifar" -> {
                // The paper's text (supplement C): batch 128, lr 1e-4, γ 0.1, data noise of
                // variance 0.03, 60 SGLD steps, 90k steps. Its SGLD, α = 0.075 (a step of α/2 on
                // the gradient) with noise ε ~ N(0, α), does not train: noise of std √α ≈ 0.27
                // against a gradient step of 0.0375 keeps the chains noise, the buffer never holds
                // a digit and E_model stays far above E_data. The SGLD step and noise are
                // therefore the authors' code's (SGLD_CODE_STEP, SGLD_CODE_NOISE).
                c.data = name.equals("paper-mnist") ? "mnist" : "cifar10";
                c.arch = name.equals("paper-mnist") ? "paper28" : "paper32";
                c.batch = 128;
                c.steps = 90_000;
                c.lr = 1e-4f;
                c.gamma = 0.1f;
                c.dataNoise = (float) Math.sqrt(0.03);
                c.sgldSteps = 60;
                c.logEvery = 50;
                c.checkpointEvery = 1000;
                c.sampleEvery = 1000;
                c.probeEvery = 500;
            }
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; choose one of " + String.join(", ", PRESETS));
        }
        return c;
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

    /** Checks every value; the message names the option and says what is allowed. */
    public void validate() {
        positive("--batch", batch);
        positive("--steps", steps);
        positive("--latent", latent);
        positive("--components", components);
        positive("--buffer-size", bufferSize);
        positive("--log-every", logEvery);
        positive("--checkpoint-every", checkpointEvery);
        positive("--sample-every", sampleEvery);
        nonNegative("--probe-every", probeEvery);
        nonNegative("--sgld-steps", sgldSteps);
        nonNegative("--sample-steps", sampleSteps);
        nonNegative("--max-rollbacks", maxRollbacks);
        nonNegative("--rollback-extra-sgld-steps", rollbackExtraSgldSteps);
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
        if (!List.of("cebm", "gmm-cebm", "igebm").contains(model)) {
            throw new IllegalArgumentException("--model must be cebm, gmm-cebm or igebm, got '" + model + "'");
        }
        if (Architecture.ALL.stream().noneMatch(a -> a.name().equals(arch))) {
            throw new IllegalArgumentException("--arch must be paper28, paper32 or code28, got '" + arch + "'");
        }
    }

    private static void positive(String option, int value) {
        if (value <= 0) throw new IllegalArgumentException(option + " must be > 0, got " + value);
    }

    private static void nonNegative(String option, int value) {
        if (value < 0) throw new IllegalArgumentException(option + " must be ≥ 0, got " + value);
    }
}
