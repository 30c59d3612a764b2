package cebm.autograd;

/**
 * Whether ops record themselves on the tape. Turned off in a try-with-resources scope for
 * evaluation, where no gradient is needed and nothing should be kept alive:
 *
 * <pre>{@code
 * try (GradMode.Scope off = GradMode.disabled()) {
 *     Variable energy = model.energy(images);   // no graph is built
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> true);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    /** Disables recording until the returned scope is closed; scopes nest. */
    public static Scope disabled() {
        boolean previous = ENABLED.get();
        ENABLED.set(false);
        return () -> ENABLED.set(previous);
    }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
