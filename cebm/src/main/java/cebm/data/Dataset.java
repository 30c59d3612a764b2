package cebm.data;

import cebm.tensor.Tensor;
import cebm.tensor.Tensors;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of labelled images, all of the same shape, with pixels scaled to [-1, 1]. (The 2-D
 * playground stores points of the plane here too, as 2-channel 1×1 images: see {@code cebm.toy.ToyData}.)
 *
 * <p>Pixels are stored in one flat array in NCHW order (image, channel, row, column; row-major), which is the
 * layout the tensor engine expects, so a batch is a plain copy of whole images. Nothing here can change after
 * construction: every accessor returns a copy, which lets the training loop and an evaluation thread share a
 * data set without locks.
 *
 * <p>{@link #subset} does not copy: it is a view onto a range of the same storage. That keeps carving a
 * validation split off the 50000 CIFAR-10 training images (600 MB as floats) cheap.
 */
public final class Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final float[] pixels;
    private final int[] labels;
    /** The first image of this view in {@code pixels} and {@code labels}; non-zero only for subsets. */
    private final int first;
    private final int size;

    private Dataset(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels,
            int first, int size) {
        this.name = name;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.pixels = pixels;
        this.labels = labels;
        this.first = first;
        this.size = size;
    }

    /**
     * A data set holding copies of {@code pixels} (N·C·H·W values in [-1, 1], NCHW order) and {@code labels}
     * (N values in {@code 0..classes-1}).
     *
     * @throws IllegalArgumentException if the array lengths do not match the shape or a label is out of range
     */
    public static Dataset of(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels) {
        return wrap(name, channels, height, width, classes, pixels.clone(), labels.clone());
    }

    /**
     * As {@link #of}, but takes ownership of the arrays instead of copying them. Only the readers in this
     * package use it, on arrays they have just filled and never touch again; copying a 600 MB array there
     * would double peak memory for nothing.
     */
    static Dataset wrap(String name, int channels, int height, int width, int classes, float[] pixels, int[] labels) {
        Objects.requireNonNull(name, "name");
        if (channels <= 0 || height <= 0 || width <= 0 || classes <= 0) {
            throw new IllegalArgumentException(name + ": channels, height, width and classes must be positive, got "
                    + channels + ", " + height + ", " + width + ", " + classes);
        }
        long imageSize = (long) channels * height * width;
        if (pixels.length != labels.length * imageSize) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel values do not hold " + labels.length
                    + " images of " + channels + "×" + height + "×" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of image " + i + " outside 0.." + (classes - 1));
            }
        }
        return new Dataset(name, channels, height, width, classes, pixels, labels, 0, labels.length);
    }

    /** A short human-readable name such as {@code "mnist-train"}, for logs and reports. */
    public String name() {
        return name;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** How many classes labels may come from: labels lie in {@code 0..classes-1}. */
    public int classes() {
        return classes;
    }

    /** The number of images. */
    public int size() {
        return size;
    }

    /** The number of floats in one image: channels × height × width. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The label of image {@code i}. */
    public int label(int i) {
        return labels[first + checkIndex(i)];
    }

    /** The labels of the given images, in the order given. */
    public int[] labels(int[] indices) {
        int[] result = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            result[k] = label(indices[k]);
        }
        return result;
    }

    /** A copy of image {@code i}: C·H·W floats in CHW order. */
    public float[] image(int i) {
        int start = (first + checkIndex(i)) * imageSize();
        return Arrays.copyOfRange(pixels, start, start + imageSize());
    }

    /** The given images stacked into a new CPU tensor of shape [n, C, H, W], in the order given. */
    public Tensor batch(int[] indices) {
        int imageSize = imageSize();
        float[] data = new float[indices.length * imageSize];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, (first + checkIndex(indices[k])) * imageSize, data, k * imageSize, imageSize);
        }
        return Tensors.of(data, indices.length, channels, height, width);
    }

    /**
     * Images {@code from} (inclusive) to {@code to} (exclusive) as a data set of their own, sharing this one's
     * storage. Used to carve a validation split off the end of a training set.
     */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IndexOutOfBoundsException(name + ": subset [" + from + ", " + to + ") outside [0, " + size + ")");
        }
        String subsetName = name + "[" + from + ":" + to + "]";
        return new Dataset(subsetName, channels, height, width, classes, pixels, labels, first + from, to - from);
    }

    /** How many images each class has: element {@code c} counts the images labelled {@code c}. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int i = first; i < first + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return name + " (" + size + " images of " + channels + "×" + height + "×" + width + ", " + classes + " classes)";
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(name + ": image " + i + " outside [0, " + size + ")");
        }
        return i;
    }
}
