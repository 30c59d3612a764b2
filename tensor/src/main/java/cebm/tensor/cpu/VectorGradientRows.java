package cebm.tensor.cpu;

import cebm.tensor.Conv2dGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output gradient of a convolution into the GEMM's layout ({@link Conv2dCpu}'s gather), a
 * vector per output row, for output rows that fit in one vector (the stride-2 layers of the
 * encoders: 14, 7 and 3 pixels in plane rows of 16, 8 and 5 columns).
 *
 * <p>Each output row of an image is loaded as one vector: its OW pixels, then the first pixels of
 * the next row, which are set to zero, since they land in the spare columns. It is stored as one
 * vector at the start of its plane row: the lanes past the plane row spill into the next one,
 * which is written afterwards (filters, output rows and images are taken in the order the GEMM
 * rows lie in memory), so the buffer needs {@link #SLACK} floats past its end. Copying each row
 * with {@code System.arraycopy} and zeroing the spare columns beforehand took about 1.7 ms of the
 * 28 → 14 layer's input gradient (one core).
 *
 * <p>With the pre-activation z, the row is ∂L/∂y · swish'(z): the backward pass of the fused
 * layer's Swish, on the fly.
 */
final class VectorGradientRows {
    private VectorGradientRows() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    /** Floats the GEMM rows must have past their end. */
    static final int SLACK = VL;

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
