package cebm.io;

import cebm.data.PixelScale;
import cebm.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes many small images as one PNG, tiled left to right and top to bottom — the usual way to look at a
 * batch of data or of model samples.
 *
 * <p>Pixels are floats in [-1, 1] in NCHW order, as everywhere in this project, with one channel (grayscale)
 * or three (RGB). Values outside [-1, 1] are clamped (see {@link PixelScale#toByte}), because samples from a
 * half-trained model often overshoot and should still be viewable. Tiles are separated, and the grid framed,
 * by a 1-pixel mid-grey line, so that black-background images stay distinguishable.
 */
public final class ImageGrid {
    private static final int SEPARATOR = 1;
    private static final int SEPARATOR_GREY = 128;

    private ImageGrid() {
    }

    /** Writes the images of a tensor of shape [N, C, H, W] as a grid with {@code columns} images per row. */
    public static void write(Path png, Tensor images, int columns) throws IOException {
        int[] shape = images.shape();
        if (shape.length != 4) {
            throw new IllegalArgumentException("ImageGrid: expected images of shape [N, C, H, W], got rank " + shape.length);
        }
        write(png, images.toArray(), shape[1], shape[2], shape[3], columns);
    }

    /**
     * Writes the images in {@code pixels} (NCHW, N = length / (C·H·W)) as a grid with {@code columns} images per
     * row, replacing {@code png} atomically.
     */
    public static void write(Path png, float[] pixels, int channels, int height, int width, int columns) throws IOException {
        BufferedImage image = render(pixels, channels, height, width, columns);
        Png.write(png, image);
    }

    private static BufferedImage render(float[] pixels, int channels, int height, int width, int columns) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ImageGrid: images must have 1 or 3 channels, got " + channels);
        }
        int imageSize = channels * height * width;
        if (height <= 0 || width <= 0 || columns <= 0 || pixels.length == 0 || pixels.length % imageSize != 0) {
            throw new IllegalArgumentException("ImageGrid: " + pixels.length + " values are not a positive number of "
                    + channels + "×" + height + "×" + width + " images (columns " + columns + ")");
        }
        int count = pixels.length / imageSize;
        int rows = (count + columns - 1) / columns;
        int usedColumns = Math.min(columns, count);
        BufferedImage grid = new BufferedImage(usedColumns * (width + SEPARATOR) + SEPARATOR, rows * (height + SEPARATOR) + SEPARATOR,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = grid.getRaster();
        fill(raster, SEPARATOR_GREY);
        int[] sample = new int[channels];
        for (int n = 0; n < count; n++) {
            int left = SEPARATOR + (n % columns) * (width + SEPARATOR);
            int top = SEPARATOR + (n / columns) * (height + SEPARATOR);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < channels; c++) {
                        sample[c] = PixelScale.toByte(pixels[((n * channels + c) * height + y) * width + x]);
                    }
                    raster.setPixel(left + x, top + y, sample);
                }
            }
        }
        return grid;
    }

    private static void fill(WritableRaster raster, int value) {
        int[] sample = new int[raster.getNumBands()];
        Arrays.fill(sample, value);
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int x = 0; x < raster.getWidth(); x++) {
                raster.setPixel(x, y, sample);
            }
        }
    }
}
