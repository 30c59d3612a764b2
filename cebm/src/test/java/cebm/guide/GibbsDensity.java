package cebm.guide;

import cebm.autograd.GradMode;
import cebm.autograd.Variable;
import cebm.model.EnergyModel;
import cebm.toy.ToyRun;
import cebm.toy.ToySetup;
import cebm.toy.Viewport;

/**
 * docs/energy-based-models.md, section 1: in the plane, Z = ∫ exp(−E(x)) dx can be computed on a
 * grid; the number of grid points is what makes it impossible for images.
 */
public final class GibbsDensity {
    private GibbsDensity() {}

    public static void main(String[] args) {
        // region log-z
        EnergyModel model = ToySetup.model(ToySetup.LATENT, 0);              // the playground's model, untrained
        for (int n : new int[] {25, 50, 100, 200}) {
            Viewport square = new Viewport(ToyRun.RADIUS, n);                // [−1.25, 1.25]², n × n cells
            double cell = Math.pow(2 * ToyRun.RADIUS / n, 2);
            System.out.printf("n = %3d: log Z = %.3f%n", n, logZ(model, square, cell));
        }
        System.out.printf("cells for a 28x28 image at 100 per axis: 10^%d%n", 2 * 28 * 28);
        // endregion
    }

    // region log-sum-exp
    /** log Σ exp(−E(x)) · cell over the cell centres, as m + log Σ exp(−E − m) with m = max(−E), so nothing overflows. */
    static double logZ(EnergyModel model, Viewport square, double cell) {
        float[] energies;
        try (GradMode.Scope off = GradMode.disabled()) {
            energies = model.energy(Variable.constant(square.pixelCentres())).value().toArray();
        }
        double m = Double.NEGATIVE_INFINITY, sum = 0;
        for (float e : energies) m = Math.max(m, -e);
        for (float e : energies) sum += Math.exp(-e - m);
        return m + Math.log(sum * cell);
    }
    // endregion
}
