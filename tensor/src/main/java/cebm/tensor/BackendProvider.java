package cebm.tensor;

/**
 * How a backend that lives in another module (the CUDA backend in {@code kernels}) is found at
 * run time, through {@link java.util.ServiceLoader}: {@code tensor}, {@code autograd} and
 * {@code cebm} never import it, so they build and run where it is absent.
 */
// region provider (quoted in docs/cuda-kernels.md)
public interface BackendProvider {
    /** The name users type, e.g. {@code --device cuda}. */
    String name();

    /**
     * Whether this backend can run here, decided once: a machine without the driver, the device or
     * the compiled kernels answers "not usable" with the reason, and never throws.
     */
    Availability availability();

    /** The backend; only when {@link #availability()} says it is usable. */
    Backend backend();

    /** The probe's answer: one line for users, and the details that {@code info} prints. */
    record Availability(boolean usable, String summary, java.util.List<String> details) {}
}
// endregion
