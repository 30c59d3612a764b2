package cebm.tensor.cpu.parallel;

/**
 * Whether the Vector API can be used: the incubator module {@code jdk.incubator.vector} must
 * be resolved at startup ({@code --add-modules jdk.incubator.vector}), otherwise loading any
 * class that names {@code FloatVector} fails. Code that dispatches on this flag keeps its
 * Vector API half in separate classes, which the JVM loads only on first call.
 */
public final class VectorApi {
    private VectorApi() {}

    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
