package cebm.kernels;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel's C parameter list, read from its CUDA source (shipped in the jar next to the fatbin),
 * against which every launch checks its arguments. The driver copies as many bytes for each
 * argument as the kernel declares, whatever Java passed: an {@code Integer} where the kernel takes
 * a {@code long long} would hand it four bytes of garbage, and nothing else would notice.
 */
record KernelSignature(String kernel, List<Parameter> parameters) {
    /** What a parameter is, and the Java argument that passes it. */
    enum Kind {
        INT("an Integer"), LONG_LONG("a Long"), FLOAT("a Float"), DOUBLE("a Double"),
        POINTER("a DeviceBuffer or CUdeviceptr"), INT_STRUCT("an int[]");

        final String javaArgument;

        Kind(String javaArgument) {
            this.javaArgument = javaArgument;
        }
    }

    /** One parameter as declared in C; {@code ints} is the length of an int struct (0 for the other kinds). */
    record Parameter(String declaration, Kind kind, int ints) {
        boolean accepts(Object arg) {
            return switch (kind) {
                case INT -> arg instanceof Integer;
                case LONG_LONG -> arg instanceof Long;
                case FLOAT -> arg instanceof Float;
                case DOUBLE -> arg instanceof Double;
                case POINTER -> arg instanceof DeviceBuffer || arg instanceof CUdeviceptr;
                case INT_STRUCT -> arg instanceof int[] v && v.length == ints;
            };
        }

        /** What the driver reads this argument from: a pointer to its value (checked by {@link #accepts}). */
        Pointer pass(Object arg) {
            return switch (kind) {
                case INT -> Pointer.to(new int[] {(Integer) arg});
                case LONG_LONG -> Pointer.to(new long[] {(Long) arg});
                case FLOAT -> Pointer.to(new float[] {(Float) arg});
                case DOUBLE -> Pointer.to(new double[] {(Double) arg});
                case POINTER -> Pointer.to(arg instanceof DeviceBuffer b ? b.pointer : (CUdeviceptr) arg);
                case INT_STRUCT -> Pointer.to((int[]) arg);
            };
        }

        String expected() {
            return kind == Kind.INT_STRUCT ? "an int[" + ints + "]" : kind.javaArgument;
        }
    }

    /** Throws unless {@code args} are, one by one, what the kernel's parameters take. */
    void check(Object[] args) {
        if (args.length != parameters.size()) {
            throw new IllegalArgumentException(kernel + " takes " + parameters.size() + " arguments " + declarations()
                    + ", given " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            Parameter p = parameters.get(i);
            if (!p.accepts(args[i])) {
                throw new IllegalArgumentException(kernel + ": argument " + i + " (" + p.declaration() + ") must be "
                        + p.expected() + ", not " + describe(args[i]));
            }
        }
    }

    private List<String> declarations() {
        return parameters.stream().map(Parameter::declaration).toList();
    }

    private static String describe(Object arg) {
        if (arg == null) return "null";
        if (arg instanceof int[] v) return "an int[" + v.length + "]";
        String type = arg.getClass().getSimpleName();
        return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
    }

    // ---- reading the sources ----

    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s*)?(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern INCLUDE = Pattern.compile("#include\\s+\"([^\"]+)\"");
    private static final Pattern CONSTANT = Pattern.compile("(?:#define\\s+(\\w+)\\s+|constexpr\\s+int\\s+(\\w+)\\s*=\\s*)(\\d+)");
    /** A struct without nested braces: the by-value parameter structs are plain lists of fields. */
    private static final Pattern STRUCT = Pattern.compile("struct\\s+(\\w+)\\s*\\{([^{}]*)}\\s*;");
    private static final Pattern INT_FIELD = Pattern.compile("(\\w+)\\s*(?:\\[\\s*(\\w+)\\s*])?");

    /** The signatures of a family's kernels (class-path resource cebm/kernels/{family}.cu), by kernel name. */
    static Map<String, KernelSignature> of(String family) {
        return parse(family + "/", withIncludes(family + ".cu"));
    }

    /** The signatures of the {@code extern "C" __global__} kernels of a source (its includes pasted in). */
    static Map<String, KernelSignature> parse(String prefix, String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
        Map<String, Integer> constants = new HashMap<>();
        for (Matcher m = CONSTANT.matcher(code); m.find(); ) {
            constants.put(m.group(1) != null ? m.group(1) : m.group(2), Integer.parseInt(m.group(3)));
        }
        Map<String, Integer> intStructs = new HashMap<>();
        for (Matcher m = STRUCT.matcher(code); m.find(); ) {
            int ints = intCount(m.group(2), constants);
            if (ints > 0) intStructs.put(m.group(1), ints);
        }
        Map<String, KernelSignature> kernels = new LinkedHashMap<>();
        for (Matcher m = KERNEL.matcher(code); m.find(); ) {
            String name = prefix + m.group(1);
            List<Parameter> parameters = new ArrayList<>();
            String list = m.group(2).trim();
            if (!list.isEmpty()) {
                for (String declaration : list.split(",")) parameters.add(parameter(name, declaration, intStructs));
            }
            kernels.put(m.group(1), new KernelSignature(name, List.copyOf(parameters)));
        }
        return kernels;
    }

    private static Parameter parameter(String kernel, String declaration, Map<String, Integer> intStructs) {
        String text = declaration.trim().replaceAll("\\s+", " ");
        if (text.contains("*")) return new Parameter(text, Kind.POINTER, 0);
        String type = text.replaceAll("\\b(const|__restrict__)\\b", "").trim().replaceAll("\\s+", " ")
                .replaceAll(" \\w+$", "");
        switch (type) {
            case "int": return new Parameter(text, Kind.INT, 0);
            case "long long": return new Parameter(text, Kind.LONG_LONG, 0);
            case "float": return new Parameter(text, Kind.FLOAT, 0);
            case "double": return new Parameter(text, Kind.DOUBLE, 0);
            default:
                Integer ints = intStructs.get(type);
                if (ints == null) {
                    throw new IllegalStateException(kernel + ": parameter '" + text + "' has a type that Kernel cannot pass");
                }
                return new Parameter(text, Kind.INT_STRUCT, ints);
        }
    }

    /** The number of ints of a struct body made only of int fields and int arrays; 0 for any other struct. */
    private static int intCount(String body, Map<String, Integer> constants) {
        int ints = 0;
        for (String field : body.split(";")) {
            String f = field.trim();
            if (f.isEmpty()) continue;
            if (!f.startsWith("int ")) return 0;
            for (String name : f.substring(4).split(",")) {
                Matcher m = INT_FIELD.matcher(name.trim());
                if (!m.matches()) return 0;
                String size = m.group(2);
                if (size == null) ints += 1;
                else if (size.chars().allMatch(Character::isDigit)) ints += Integer.parseInt(size);
                else if (constants.containsKey(size)) ints += constants.get(size);
                else return 0;
            }
        }
        return ints;
    }

    /** The source with each {@code #include "x"} replaced by the text of x. */
    private static String withIncludes(String file) {
        return INCLUDE.matcher(resource(file)).replaceAll(m -> Matcher.quoteReplacement(withIncludes(m.group(1))));
    }

    private static String resource(String file) {
        try (InputStream in = KernelSignature.class.getResourceAsStream("/cebm/kernels/" + file)) {
            if (in == null) throw new CudaException("the CUDA source " + file + " is not in this build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
