package cebm.cli;

import cebm.tensor.Backend;
import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * The compute devices: {@code --device NAME} finds its backend by name ({@link Backends}), so that
 * this module never imports the CUDA backend, which is found on the class path at run time.
 */
final class Devices {
    private Devices() {}

    /** The backend of {@code --device}; one that cannot run here is a usage error that says why. */
    static Backend backend(String device) {
        try {
            return Backends.named(device);
        } catch (Backends.UnavailableException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    /** What {@code info} prints: a line per backend (usable or why not), then the probe's details, indented. */
    static List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: available");
        lines.add("reference: available (the plain loops every backend is tested against)");
        for (BackendProvider p : Backends.providers()) {
            BackendProvider.Availability a = p.availability();
            lines.add(a.summary());
            for (String detail : a.details()) lines.add("  " + detail);
        }
        return lines;
    }
}
