package cebm.cli;

/** The compute devices this build offers, and the one check the commands share. */
final class Devices {
    private Devices() {}

    static final String CUDA_ABSENT = "cuda: not available in this build (no CUDA backend is compiled in yet); use --device cpu";

    /** Accepts "cpu"; anything else is a usage error that says why. */
    static void require(String device) {
        if ("cpu".equals(device)) return;
        if ("cuda".equals(device)) throw new Main.UsageError(CUDA_ABSENT);
        throw new Main.UsageError("--device must be cpu or cuda, got '" + device + "'");
    }
}
