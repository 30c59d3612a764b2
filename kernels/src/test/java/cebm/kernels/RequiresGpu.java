package cebm.kernels;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

// region requires-gpu
/**
 * Disables {@link GpuTest} classes where the CUDA probe says no, giving its reason; where the
 * tests were to run on the emulated device and it could not be built, the build's reason.
 */
public final class RequiresGpu implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        var availability = CudaProbe.result().availability();
        if (availability.usable()) return ConditionEvaluationResult.enabled(availability.summary());
        return ConditionEvaluationResult.disabled("no GPU to run on: " + notBuilt().orElse(availability.summary()));
    }

    /** Why kernels/emulator/build.sh built no emulated device, if it did not (its not-built.txt). */
    static Optional<String> notBuilt() {
        String modules = System.getProperty("cebm.cuda.modules");
        Path reason = modules == null ? null : Path.of(modules, "not-built.txt");
        try {
            return reason != null && Files.exists(reason) ? Optional.of(Files.readString(reason).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
// endregion
