package cebm.model;

/**
 * What the three models share: named parameters and an encoder network built into them. The
 * subclasses differ only in what they put on top of the encoder (spec §1).
 */
abstract class EncoderModel implements EnergyModel {
    protected final Parameters params = new Parameters();
    protected final Encoder encoder;

    /** @param heads 2 for the conjugate models (t1, t2), 0 for the IGEBM */
    EncoderModel(Architecture arch, int latent, cebm.tensor.RandomStream random, int heads) {
        encoder = new Encoder(arch, latent, params, random, heads);
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public Architecture architecture() {
        return encoder.architecture();
    }
}
