package cebm.kernels;

import cebm.tensor.BinaryOp;
import cebm.tensor.ReduceOp;
import cebm.tensor.UnaryOp;
import cebm.kernels.KernelSignature.Kind;
import cebm.kernels.KernelSignature.Parameter;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import org.junit.jupiter.api.Test;

import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        assertEquals(Conv2dCuda.TILE, constant("conv_swish.cu", "TILE"));
        assertEquals(Conv2dCuda.TILE_DEPTH, constant("conv_swish.cu", "TILE_DEPTH"));
        assertEquals(Conv2dCuda.THREADS, constant("conv_swish.cu", "THREADS"));
    }

    /** The by-value structs have the sizes of the int[] that Java builds for them. */
    @Test
    void structParametersHaveTheJavaSizes() {
        assertEquals(Strided.MAX_RANK, parameter("elementwise", "zip_strided", 3).ints());
        assertEquals(Strided.MAX_RANK, parameter("memory", "strided_copy", 2).ints());
        assertEquals(RowCopy.ROWS_PER_LAUNCH, parameter("rows", "copy_rows", 2).ints());
        assertEquals(11, parameter("conv_swish", "conv2d_forward", 0).ints(), "ConvShape: Conv2dCuda.shape's 11 ints");
    }

    @Test
    void aLaunchWithTheWrongArgumentsFailsClearly() {
        KernelSignature fill = KernelSignature.of("memory").get("fill");
        fill.check(new Object[] {5L, 1f, new jcuda.driver.CUdeviceptr()});
        var wrongKind = assertThrows(IllegalArgumentException.class, () -> fill.check(new Object[] {5, 1f, new jcuda.driver.CUdeviceptr()}));
        assertEquals("memory/fill: argument 0 (long long n) must be a Long, not an Integer", wrongKind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fill.check(new Object[] {5L, 1f}));
        KernelSignature copy = KernelSignature.of("memory").get("strided_copy");
        assertThrows(IllegalArgumentException.class, () -> copy.check(new Object[] {5L, 1, new int[3], new int[8], 0L,
                new jcuda.driver.CUdeviceptr(), new jcuda.driver.CUdeviceptr()}));
    }

    /**
     * Every launch in the launchers' sources, type-checked by javac against the kernel's C
     * signature: as many arguments, each of the static type that passes its parameter (an
     * {@code int} expression where the kernel takes a {@code long long} is caught here, not on the
     * GPU). Also: every kernel of the sources is launched somewhere.
     */
    @Test
    void everyLaunchPassesWhatItsKernelTakes() throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/cebm/kernels"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fileManager, diagnostics,
                    List.of("-proc:none", "-classpath", System.getProperty("java.class.path")), null,
                    fileManager.getJavaFileObjectsFromPaths(sources));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            task.analyze();
            assertTrue(diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR),
                    () -> "the launchers do not compile: " + diagnostics.getDiagnostics());
            Trees trees = Trees.instance(task);
            List<String> problems = new ArrayList<>();
            Set<String> launched = new TreeSet<>();
            for (CompilationUnitTree unit : units) {
                new TreePathScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        checkLaunch(trees, getCurrentPath(), call, problems, launched);
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(unit, null);
            }
            Set<String> declared = new TreeSet<>();
            for (String family : KernelModule.FAMILIES) {
                KernelSignature.of(family).keySet().forEach(kernel -> declared.add(family + "/" + kernel));
            }
            assertEquals(List.of(), problems);
            assertEquals(declared, launched, "the kernels declared in the .cu sources and those the Java code launches");
        }
    }

    /** If {@code call} is {@code kernel("family", "name").launch(...)} or {@code .launchLinear(...)}, checks its arguments. */
    private static void checkLaunch(Trees trees, TreePath path, MethodInvocationTree call, List<String> problems, Set<String> launched) {
        if (!(call.getMethodSelect() instanceof MemberSelectTree select)) return;
        String method = select.getIdentifier().toString();
        if (!method.equals("launch") && !method.equals("launchLinear")) return;
        TypeMirror receiver = trees.getTypeMirror(new TreePath(path, select.getExpression()));
        if (receiver == null || !receiver.toString().equals(Kernel.class.getName())) return;
        String where = path.getCompilationUnit().getSourceFile().getName() + ":"
                + path.getCompilationUnit().getLineMap().getLineNumber(trees.getSourcePositions()
                        .getStartPosition(path.getCompilationUnit(), call));
        if (!(select.getExpression() instanceof MethodInvocationTree kernel) || kernel.getArguments().size() != 2
                || !(kernel.getArguments().get(0) instanceof LiteralTree family)
                || !(kernel.getArguments().get(1) instanceof LiteralTree name)) {
            problems.add(where + ": launch a kernel as kernel(\"family\", \"name\")." + method + "(...), so that it can be checked");
            return;
        }
        String kernelName = family.getValue() + "/" + name.getValue();
        launched.add(kernelName);
        KernelSignature signature = KernelSignature.of((String) family.getValue()).get((String) name.getValue());
        if (signature == null) {
            problems.add(where + ": no kernel " + kernelName);
            return;
        }
        int geometry = method.equals("launch") ? 7 : 1;  // (grid xyz, block xyz, shared bytes) or (n)
        List<? extends ExpressionTree> args = call.getArguments().subList(geometry, call.getArguments().size());
        if (args.size() != signature.parameters().size()) {
            problems.add(where + ": " + kernelName + " takes " + signature.parameters().size() + " arguments, given " + args.size());
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            Parameter p = signature.parameters().get(i);
            TypeMirror type = trees.getTypeMirror(new TreePath(path, args.get(i)));
            if (kindOf(type) != p.kind()) {
                problems.add(where + ": " + kernelName + " argument " + i + " (" + p.declaration() + ") needs " + p.expected()
                        + ", given " + args.get(i) + " of type " + type);
            }
        }
    }

    /** The parameter kind that a Java argument of this static type passes (Kernel.parameter); null for none. */
    private static Kind kindOf(TypeMirror type) {
        return switch (type.getKind()) {
            case INT -> Kind.INT;
            case LONG -> Kind.LONG_LONG;
            case FLOAT -> Kind.FLOAT;
            case DOUBLE -> Kind.DOUBLE;
            case ARRAY -> ((ArrayType) type).getComponentType().getKind() == TypeKind.INT ? Kind.INT_STRUCT : null;
            case DECLARED -> switch (type.toString()) {
                case "java.lang.Integer" -> Kind.INT;
                case "java.lang.Long" -> Kind.LONG_LONG;
                case "java.lang.Float" -> Kind.FLOAT;
                case "java.lang.Double" -> Kind.DOUBLE;
                case "cebm.kernels.DeviceBuffer", "jcuda.driver.CUdeviceptr" -> Kind.POINTER;
                default -> null;
            };
            default -> null;
        };
    }

    private static Parameter parameter(String family, String kernel, int index) {
        KernelSignature signature = KernelSignature.of(family).get(kernel);
        assertNotNull(signature, family + ".cu declares no kernel " + kernel);
        return signature.parameters().get(index);
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

    private static int constant(String file, String name) throws IOException {
        Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(source(file));
        assertTrue(m.find(), file + " declares no constexpr int " + name);
        return Integer.parseInt(m.group(1));
    }

    private static String source(String file) throws IOException {
        return Files.readString(Path.of("src/main/cuda", file));
    }
}
