package cebm.toy;

import cebm.data.Dataset;
import cebm.io.Png;
import cebm.model.EnergyModel;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import cebm.train.Progress;
import cebm.train.Sgld;
import cebm.train.TrainConfig;
import cebm.train.Trainer;
import cebm.train.TrainingRun;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The playground end to end: trains a CEBM on a 2-D data set with the image model's trainer, then
 * draws what it learned into a folder:
 * <pre>
 *   energy.png    the energy landscape as a heat map, with SGLD chains drawn over it
 *   samples.png   data and SGLD samples from noise, side by side
 *   latent.png    the posterior means of the data, and the plane coloured by nearest posterior mean
 *   training.gif  (optional) the landscape and the replay buffer's chains over training
 *   training.png  (with the GIF) six of its frames side by side
 * </pre>
 */
public final class ToyRun {
    /** The square of the plane every picture shows: the data's square [−1, 1]² and a margin. */
    public static final double RADIUS = 1.25;
    /** Data points generated for training and drawn in the pictures. */
    private static final int POINTS = 2000;
    /** Pixels on a side of a picture's panel, and of a GIF frame. */
    private static final int PICTURE = 360;
    private static final int FRAME = 160;
    private static final int FRAMES = 40;
    private static final int FRAME_MILLIS = 150;
    private static final int FRAME_CHAINS = 500;
    /** Chains drawn over the energy, and their length. */
    private static final int CHAINS = 24;
    private static final int CHAIN_STEPS = 200;
    /** Samples from uniform noise, and the SGLD steps that make them (the spec's 500 for pictures). */
    private static final int SAMPLES = 500;
    private static final int SAMPLE_STEPS = 500;

    private final TrainConfig config;
    private final Path folder;
    private final boolean gif;

    /** What a run reports: its length, the last step's mean energies and the files it wrote. */
    public record Result(int steps, double seconds, double energyData, double energyModel, List<Path> files) {}

    /** A run of {@code config} (see {@link ToySetup#config}) drawing into {@code folder}; with {@code gif}, also training.gif and .png. */
    public ToyRun(TrainConfig config, Path folder, boolean gif) {
        this.config = config;
        this.folder = folder;
        this.gif = gif;
    }

    /** Trains, then draws; {@link Result#seconds()} is the time spent training (GIF frames included). */
    public Result run(Progress progress) throws IOException {
        Dataset data = ToyData.named(config.data()).generate(POINTS, config.seed());
        Trainer trainer = new Trainer(config, ToySetup.model(config.latent(), config.seed()), data);
        Files.createDirectories(folder);
        List<BufferedImage> frames = new ArrayList<>();
        Trainer.StepResult last = train(trainer, progress, frames);
        double seconds = progress.elapsedSeconds();

        List<Path> files = new ArrayList<>(draw(trainer, data));
        if (gif) {
            frames.add(frame(trainer));
            files.add(folder.resolve("training.gif"));
            AnimatedGif.write(files.get(files.size() - 1), frames, FRAME_MILLIS);
            files.add(write("training.png", FrameStrip.of(frames)));
        }
        return new Result(trainer.stepCount(), seconds, last.energyData(), last.energyModel(), files);
    }

    /** Steps the trainer to the end, keeping a frame every 1/{@value #FRAMES} of the way when drawing a GIF. */
    private Trainer.StepResult train(Trainer trainer, Progress progress, List<BufferedImage> frames) {
        int frameEvery = Math.max(1, config.steps() / FRAMES);
        Trainer.StepResult last = null;
        while (trainer.stepCount() < config.steps()) {
            if (gif && trainer.stepCount() % frameEvery == 0) frames.add(frame(trainer));
            last = trainer.step();
            if (!last.applied()) {
                throw new TrainingRun.DivergedException("diverged at step " + (last.step() + 1) + " (loss " + last.loss() + ")");
            }
            progress.update(last.step(), String.format("E_data %.3f  E_model %.3f", last.energyData(), last.energyModel()));
        }
        progress.finish();
        return last;
    }

    /**
     * energy.png, samples.png and latent.png. The chains drawn here take their noise from streams
     * of their own (seed + 1, seed + 2), so that drawing never changes the training's randomness.
     */
    private List<Path> draw(Trainer trainer, Dataset data) throws IOException {
        EnergyModel model = trainer.model();
        Viewport view = new Viewport(RADIUS, PICTURE);
        RandomStream random = new RandomStream(config.seed() + 1);
        Tensor starts = random.uniform(CpuBackend.INSTANCE, -1f, 1f, CHAINS, 2, 1, 1);
        float[][] paths = Trajectories.run(model, new Sgld(config.sgldStep(), config.sgldNoise()), starts, CHAIN_STEPS, random);
        Tensor samples = trainer.sampleFromNoise(SAMPLES, SAMPLE_STEPS, config.seed() + 2);
        return List.of(
                write("energy.png", EnergyPicture.withChains(model, view, paths, CHAIN_STEPS)),
                write("samples.png", SamplesPicture.draw(view, points(data), samples.toArray(), SAMPLE_STEPS)),
                write("latent.png", LatentPicture.draw(model, view, data)));
    }

    /** The landscape now, and the first {@value #FRAME_CHAINS} chains of the replay buffer. */
    private static BufferedImage frame(Trainer trainer) {
        Tensor buffer = trainer.buffer().images();
        float[] chains = buffer.slice(0, Math.min(FRAME_CHAINS, buffer.size(0))).toArray();
        return EnergyPicture.withPoints(trainer.model(), new Viewport(RADIUS, FRAME), chains, "step " + trainer.stepCount());
    }

    /** All points of a data set as (x0, y0, x1, y1, …). */
    static float[] points(Dataset data) {
        return data.batch(IntStream.range(0, data.size()).toArray()).toArray();
    }

    private Path write(String name, BufferedImage image) throws IOException {
        Path file = folder.resolve(name);
        Png.write(file, image);
        return file;
    }
}
