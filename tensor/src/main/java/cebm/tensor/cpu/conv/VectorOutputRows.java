package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.elementwise.Activations;
import cebm.tensor.cpu.elementwise.VectorActivations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Output rows of a convolution between NCHW and the GEMM's layout ({@link Conv2dCpu}'s scatter
 * and gather), a vector per output row, for output rows that fit in one vector (the stride-2
 * layers of the encoders: 14, 7 and 3 pixels in plane rows of 16, 8 and 5 columns).
 *
 * <p>Both ways, each row moves as one vector: its OW pixels, and after them lanes that belong to
 * the next row or the next spare columns. The store goes to the start of the row, and its extra
 * lanes spill into the next one, which is written afterwards: rows are taken in the order they
 * lie in the destination. So the destination needs {@link #SLACK} floats past its end, or, where
 * the next row is another thread's (the NCHW output of the next group of images), the group's
 * last row is copied element by element. One vector load and store per row replaces a call of
 * {@code System.arraycopy} per row, whose fixed cost outweighs the copy of a row this short.
 *
 * <p>Into the GEMM's layout (gather, an output gradient) the lanes past the row are set to zero,
 * since they land in the spare columns. With the pre-activation z, the row is
 * ∂L/∂y · swish'(z): the backward pass of the fused layer's Swish, on the fly.
 */
final class VectorOutputRows {
    private VectorOutputRows() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** Floats a destination must have past its end, and the GEMM rows, which are read a vector at a time. */
    static final int SLACK = VL;

    /**
     * NCHW {@code out[n0 + image, f, oy, ·]} ← the real columns of GEMM row f ({@code rows[rowsOff + f·P]}
     * on), for the images of one group: the group's rows of {@code out} and nothing past them.
     */
    static void scatter(Conv2dGeometry g, Im2col im2col, float[] rows, int rowsOff, int n0, int images, float[] out) {
        int oh = g.outHeight(), ow = g.outWidth(), filters = g.outChannels();
        int groupEnd = (n0 + images) * filters * oh * ow;
        for (int image = 0; image < images; image++) {
            for (int f = 0; f < filters; f++) {
                int from = rowsOff + f * im2col.columns, to = ((n0 + image) * filters + f) * oh * ow;
                for (int oy = 0; oy < oh; oy++, to += ow) {
                    int at = from + im2col.column(oy, image, 0);
                    if (to + VL <= groupEnd) FloatVector.fromArray(SPECIES, rows, at).intoArray(out, to);
                    else System.arraycopy(rows, at, out, to, ow);
                }
            }
        }
    }

    /** Plane rows no wider than a vector. */
    static boolean handles(Im2col im2col) {
        return im2col.rowWidth() <= VL;
    }

    /** rows {@code [F, P]} from {@code rows[rowsOff]} on ← the output gradient of the group's images ({@code images} from {@code n0} on). */
    static void gather(Conv2dGeometry g, Im2col im2col, float[] gradOut, float[] z, int n0, int images, float[] rows, int rowsOff) {
        int oh = g.outHeight(), ow = g.outWidth(), filters = g.outChannels();
        for (int f = 0; f < filters; f++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int image = 0; image < images; image++) {
                    int from = ((n0 + image) * filters + f) * oh * ow + oy * ow;
                    int to = rowsOff + f * im2col.columns + im2col.column(oy, image, 0);
                    if (from + VL > gradOut.length) {
                        // The batch's last row: a whole vector would read past the end of the tensor.
                        for (int ox = 0; ox < im2col.rowWidth(); ox++) {
                            rows[to + ox] = ox >= ow ? 0f : z == null ? gradOut[from + ox]
                                    : gradOut[from + ox] * Activations.swishDerivative(z[from + ox]);
                        }
                    } else if (z == null) {
                        row(gradOut, from, rows, to, ow);
                    } else {
                        swishRow(gradOut, z, from, rows, to, ow);
                    }
                }
            }
        }
    }

    /** {@code rows[to ..]} ← the VL floats from {@code gradOut[from]}, those past {@code ow} zero. */
    private static void row(float[] gradOut, int from, float[] rows, int to, int ow) {
        FloatVector.fromArray(SPECIES, gradOut, from)
                .blend(0f, FloatVector.zero(SPECIES).addIndex(1).compare(VectorOperators.GE, ow))
                .intoArray(rows, to);
    }

    /** As {@link #row}, times swish'(z). */
    private static void swishRow(float[] gradY, float[] z, int from, float[] rows, int to, int ow) {
        FloatVector.fromArray(SPECIES, gradY, from)
                .mul(VectorActivations.swishDerivative(FloatVector.fromArray(SPECIES, z, from)))
                .blend(0f, FloatVector.zero(SPECIES).addIndex(1).compare(VectorOperators.GE, ow))
                .intoArray(rows, to);
    }
}
