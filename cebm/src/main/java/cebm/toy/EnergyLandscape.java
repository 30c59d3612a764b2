package cebm.toy;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.model.EnergyModel;

import java.util.Arrays;

/**
 * The model's energy E(x) at the centre of every pixel of a viewport, computed with the model's
 * own {@link EnergyModel#energy} (no graph is recorded), and its heat map.
 */
final class EnergyLandscape {
    /** The fraction of pixels that get the full colour range; the highest energies share the darkest colour. */
    private static final double SHOWN_QUANTILE = 0.9;
    /** Colour bands: each is a range of energies, so their borders are contour lines. */
    private static final int BANDS = 24;

    private EnergyLandscape() {}

    /** E at every pixel centre, row by row from the top: {@code size²} values. */
    static float[] energies(EnergyModel model, Viewport view) {
        try (GradMode.Scope off = GradMode.disabled()) {
            return model.energy(Variable.constant(view.pixelCentres())).value().toArray();
        }
    }

    /**
     * Colours for the energies: viridis from yellow (the lowest energy, the most probable point) to
     * dark purple (the 90th percentile and above), in {@value #BANDS} bands of equal energy, so that
     * the picture reads like a contour map. Only differences of energy mean anything (log Z is
     * unknown), so the scale is relative to the picture.
     */
    static int[] heatMap(float[] energies) {
        float[] sorted = energies.clone();
        Arrays.sort(sorted);
        double low = sorted[0];
        double high = sorted[(int) (SHOWN_QUANTILE * (sorted.length - 1))];
        int[] rgb = new int[energies.length];
        for (int i = 0; i < energies.length; i++) {
            double t = Math.min(1, (energies[i] - low) / Math.max(high - low, 1e-12));
            rgb[i] = Colours.viridis(1 - Math.floor(t * BANDS) / BANDS);
        }
        return rgb;
    }
}
