package cebm.kernels;

import cebm.tensor.BinaryOp;
import cebm.tensor.ReduceOp;
import cebm.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs everywhere: what Java and the CUDA sources must agree on, checked by reading the sources.
 * Op codes are Java ordinals that the kernels switch on, and launch geometry is fixed in both.
 */
class KernelSourcesTest {
    @Test
    void opCodesAreTheJavaOrdinals() throws IOException {
        assertEquals(names(UnaryOp.values()), enumConstants("elementwise.cu", "UnaryOp"));
        assertEquals(names(BinaryOp.values()), enumConstants("elementwise.cu", "BinaryOp"));
        assertEquals(names(ReduceOp.values()), enumConstants("reduce.cu", "ReduceOp"));
    }

    @Test
    void launchConstantsAreTheKernels() throws IOException {
        assertEquals(RowCopy.ROWS_PER_LAUNCH, define("rows.cu", "ROWS_PER_LAUNCH"));
        assertEquals(CudaBackend.GEMM_TILE, define("gemm.cu", "TILE"));
        assertEquals(CudaBackend.GEMM_SIDE, define("gemm.cu", "SIDE"));
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    private static List<String> enumConstants(String file, String name) throws IOException {
        Matcher m = Pattern.compile("enum class " + name + " : int \\{([^}]*)}").matcher(source(file));
        assertTrue(m.find(), file + " declares no enum class " + name);
        return Arrays.stream(m.group(1).split(",")).map(String::trim).toList();
    }

    private static int define(String file, String name) throws IOException {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(source(file));
        assertTrue(m.find(), file + " defines no " + name);
        return Integer.parseInt(m.group(1));
    }

    private static String source(String file) throws IOException {
        return Files.readString(Path.of("src/main/cuda", file));
    }
}
