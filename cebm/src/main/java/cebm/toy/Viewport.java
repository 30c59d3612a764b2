package cebm.toy;

import cebm.tensor.Tensor;
import cebm.tensor.Tensors;

/**
 * The square {@code [−radius, radius]²} of the plane, drawn as {@code size × size} pixels with y
 * pointing up. Every picture of the playground uses one, so that the energy, the samples and the
 * latent map of a run line up point for point.
 */
public record Viewport(double radius, int size) {

    /** The pixel column of x. */
    public double px(double x) {
        return (x + radius) / (2 * radius) * size;
    }

    /** The pixel row of y (row 0 at the top). */
    public double py(double y) {
        return (radius - y) / (2 * radius) * size;
    }

    /** The point at the centre of pixel (column, row). */
    public double x(int column) {
        return -radius + (column + 0.5) * 2 * radius / size;
    }

    public double y(int row) {
        return radius - (row + 0.5) * 2 * radius / size;
    }

    /** The centre of every pixel, row by row from the top: {@code [size², 2, 1, 1]}, the model's input layout. */
    public Tensor pixelCentres() {
        float[] points = new float[2 * size * size];
        for (int row = 0; row < size; row++) {
            for (int column = 0; column < size; column++) {
                int i = row * size + column;
                points[2 * i] = (float) x(column);
                points[2 * i + 1] = (float) y(row);
            }
        }
        return Tensors.of(points, size * size, 2, 1, 1);
    }
}
