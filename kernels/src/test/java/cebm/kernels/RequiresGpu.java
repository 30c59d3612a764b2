package cebm.kernels;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

// region requires-gpu
/** Disables {@link GpuTest} classes where the CUDA probe says no, giving its reason. */
public final class RequiresGpu implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        var availability = CudaProbe.result().availability();
        return availability.usable()
                ? ConditionEvaluationResult.enabled(availability.summary())
                : ConditionEvaluationResult.disabled("no GPU to run on: " + availability.summary());
    }
}
// endregion
