package cebm.model;

/** Builds the model a configuration names. */
public final class Models {
    private Models() {}

    /**
     * @param kind       cebm, gmm-cebm or igebm
     * @param components mixture components (gmm-cebm only)
     * @param learnBias  whether the mixture's means and log-stds are trained (gmm-cebm only)
     */
    public static EnergyModel create(String kind, Architecture arch, int latent, int components, boolean learnBias, long seed) {
        return switch (kind) {
            case "cebm" -> new GaussianCebm(arch, latent, seed);
            case "gmm-cebm" -> new MixtureCebm(arch, latent, components, learnBias, seed);
            case "igebm" -> new Igebm(arch, latent, seed);
            default -> throw new IllegalArgumentException("unknown model '" + kind + "'; choose cebm, gmm-cebm or igebm");
        };
    }
}
