package cebm.tensor;

import cebm.tensor.cpu.CpuBackend;
import cebm.tensor.cpu.reference.ReferenceBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends this program can use: the fast CPU backend and the plain reference one always,
 * others (CUDA) where a provider is on the class path.
 */
public final class Backends {
    private Backends() {}

    /** Thrown when a backend is asked for by name but cannot run here; the message says why, in one line. */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    /** Providers found on the class path, in class-path order. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(found::add);
        return found;
    }

    // region named (quoted in docs/cuda-kernels.md)
    /** {@code "cpu"}, {@code "reference"} or the name of a provider; throws {@link UnavailableException} with the reason otherwise. */
    public static Backend named(String name) {
        if (name.equals("cpu")) return CpuBackend.INSTANCE;
        if (name.equals("reference")) return ReferenceBackend.INSTANCE;
        for (BackendProvider p : providers()) {
            if (!p.name().equals(name)) continue;
            BackendProvider.Availability a = p.availability();
            if (!a.usable()) throw new UnavailableException(a.summary());
            return p.backend();
        }
        throw new UnavailableException(name + ": not available in this build (no backend of that name on the class path)");
    }
    // endregion
}
