package cebm.kernels;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled kernels: one fatbin per CUDA source file (a "family"), built by nvcc into the jar
 * as {@code cebm/kernels/<family>.fatbin} and loaded with {@code cuModuleLoadData}, which picks
 * the sm_90 code on an H200 and compiles the PTX on other GPUs. The sources travel with them
 * ({@code cebm/kernels/<family>.cu}): launches check their arguments against the kernels' C signatures.
 *
 * <p>{@code -Dcebm.cuda.modules=DIR} loads each family's module image from {@code DIR/<family>.module}
 * instead: the tests point it at the images of the emulated device (kernels/emulator/build.sh),
 * which name the kernels compiled for the host.
 */
final class KernelModule {
    /** The CUDA sources of src/main/cuda, without ".cu"; a test keeps this list and the folder in step. */
    static final List<String> FAMILIES = List.of(
            "adam", "conv_swish", "elementwise", "gemm", "log_normalizer", "memory", "random", "reduce", "rows", "sgld");

    /** Where the module images come from when not from the jar; null for the jar's fatbins. */
    private static final String MODULES = System.getProperty("cebm.cuda.modules");

    private final CudaContext context;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, Map<String, KernelSignature>> signatures = new HashMap<>();
    private final Map<String, Kernel> functions = new HashMap<>();

    KernelModule(CudaContext context) {
        this.context = context;
        for (String family : FAMILIES) {
            CUmodule module = new CUmodule();
            CudaException.check(JCudaDriver.cuModuleLoadData(module, image(family)), "loading kernels " + imageName(family));
            modules.put(family, module);
            signatures.put(family, KernelSignature.of(family));
        }
    }

    /** The kernel {@code name} (its {@code extern "C"} name) of a family. */
    synchronized Kernel get(String family, String name) {
        return functions.computeIfAbsent(family + "/" + name, key -> {
            CUmodule module = modules.get(family);
            if (module == null) throw new IllegalArgumentException("no kernel family '" + family + "'");
            KernelSignature signature = signatures.get(family).get(name);
            if (signature == null) throw new IllegalArgumentException(family + ".cu declares no extern \"C\" __global__ " + name);
            CUfunction function = new CUfunction();
            // A context is current per thread, and this may be the first call of a new one.
            context.makeCurrent();
            CudaException.check(JCudaDriver.cuModuleGetFunction(function, module, name), "finding kernel " + key);
            return new Kernel(signature, function, context);
        });
    }

    /** The families whose module image is missing (all of them when nvcc was absent at build time). */
    static List<String> missingImages() {
        List<String> missing = new ArrayList<>();
        for (String family : FAMILIES) {
            boolean present = MODULES == null ? KernelModule.class.getResource(resource(family)) != null
                    : Files.isRegularFile(Path.of(MODULES, family + ".module"));
            if (!present) missing.add(imageName(family));
        }
        return missing;
    }

    private static String imageName(String family) {
        return MODULES == null ? family + ".fatbin" : Path.of(MODULES, family + ".module").toString();
    }

    private static String resource(String family) {
        return "/cebm/kernels/" + family + ".fatbin";
    }

    private static byte[] image(String family) {
        try {
            if (MODULES != null) return Files.readAllBytes(Path.of(MODULES, family + ".module"));
            try (InputStream in = KernelModule.class.getResourceAsStream(resource(family))) {
                if (in == null) throw new CudaException("kernels " + family + ".fatbin are not in this build");
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
