package cebm.kernels;

import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs everywhere: the probe answers (never throws), and the build holds what the probe looks for. */
class CudaProbeTest {
    @Test
    void theProbeAnswersInOneLine() {
        BackendProvider.Availability a = new CudaBackendProvider().availability();
        assertTrue(a.summary().startsWith("cuda: "), a.summary());
        assertFalse(a.summary().contains("\n"), a.summary());
        if (!a.usable()) {
            assertTrue(a.summary().endsWith("use --device cpu"), a.summary());
            var e = assertThrows(Backends.UnavailableException.class, () -> Backends.named("cuda"));
            assertEquals(a.summary(), e.getMessage());
        }
    }

    @Test
    void theServiceLoaderFindsTheProvider() {
        assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("cuda")));
    }

    @Test
    void everyCudaSourceIsAKernelFamily() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/cuda"))) {
            List<String> sources = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".cu")).map(n -> n.substring(0, n.length() - 3)).sorted().toList();
            assertEquals(sources, KernelModule.FAMILIES.stream().sorted().toList());
        }
    }

    /** Where nvcc is installed (CI and the GPU machine), the build must have compiled every family. */
    @Test
    void withNvccEveryFamilyIsCompiled() {
        boolean nvcc = Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "nvcc")))
                || Files.isExecutable(Path.of(System.getenv().getOrDefault("CUDA_HOME", "/usr/local/cuda"), "bin", "nvcc"));
        org.junit.jupiter.api.Assumptions.assumeTrue(nvcc, "nvcc is not installed here, so no kernels were compiled");
        List<String> missing = KernelModule.FAMILIES.stream()
                .filter(f -> KernelModule.class.getResource("/cebm/kernels/" + f + ".fatbin") == null).toList();
        assertEquals(List.of(), missing);
    }

    /** Where the build made the emulated device, the GPU tests run on it rather than skip. */
    @Test
    void whereTheEmulatedDeviceWasBuiltTheBackendRunsOnIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("cebm.cuda.modules") != null,
                "the tests are not set up for the emulated device (a machine with an NVIDIA driver)");
        org.junit.jupiter.api.Assumptions.assumeTrue(RequiresGpu.notBuilt().isEmpty(), () -> RequiresGpu.notBuilt().get());
        BackendProvider.Availability a = new CudaBackendProvider().availability();
        assertTrue(a.usable(), a.summary());
        assertTrue(a.summary().startsWith("cuda: emulated device"), a.summary());
        assertEquals("ElementwiseKernelsTest on the emulated device",
                new OnEmulatedDevice().generateDisplayNameForClass(ElementwiseKernelsTest.class), "the reports' name of a GPU test");
    }
}
