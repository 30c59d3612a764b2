package cebm.kernels;

import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names a {@link GpuTest} class "… on the emulated device" where the CUDA probe found the emulated
 * device rather than a GPU, so that a test report never passes off the emulator's run as a GPU's.
 */
public final class OnEmulatedDevice extends DisplayNameGenerator.Standard {
    static final String SUFFIX = " on the emulated device";

    @Override
    public String generateDisplayNameForClass(Class<?> testClass) {
        String name = super.generateDisplayNameForClass(testClass);
        return emulated() ? name + SUFFIX : name;
    }

    static boolean emulated() {
        return CudaProbe.result().availability().summary().contains("emulated device");
    }
}
