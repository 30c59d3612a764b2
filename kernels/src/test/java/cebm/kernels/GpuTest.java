package cebm.kernels;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that runs kernels on a GPU: tagged {@code gpu}, and skipped, with the probe's
 * one-line reason, where the CUDA backend cannot run (no driver, no device, no compiled kernels);
 * named "… on the emulated device" where it runs on that ({@link OnEmulatedDevice}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(RequiresGpu.class)
@DisplayNameGeneration(OnEmulatedDevice.class)
public @interface GpuTest {}
