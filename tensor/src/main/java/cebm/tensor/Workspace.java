package cebm.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Recycles the arrays of the tensors a loop body creates, so that a loop that repeats the same
 * computation (60 SGLD steps, each a forward and a backward pass) allocates its arrays once
 * instead of once per step:
 *
 * <pre>{@code
 * Workspace workspace = new Workspace();
 * for (int step = 0; step < 60; step++) {
 *     try (Workspace.Scope scope = workspace.enter()) {
 *         // every CPU tensor created here is backed by a recycled array ...
 *     }   // ... and all of them return to the workspace here: none may be used after the scope
 * }
 * }</pre>
 *
 * <p>It is the backend's business where result buffers come from; callers only open the scope, so
 * code such as the SGLD loop stays the same on every backend. The CPU backend draws its op results
 * made on the entering thread from here ({@link #allocate}), the CUDA backend its device buffers
 * ({@link #lend}); arrays handed to callers ({@code toArray}) never come from a workspace.
 *
 * <p>The tests run with {@code -Dcebm.workspace.poison=true}: then the float arrays are filled
 * with NaN as their scope closes, so a tensor used after its scope reads NaN, which every
 * comparison in the tests fails on, instead of whatever the next step writes there.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();
    private static final boolean POISON = Boolean.getBoolean("cebm.workspace.poison");

    /** Buffers are interchangeable when they are of the same kind (float[], a device buffer) and length. */
    private record Key(Class<?> kind, int length) {}

    private record Loan(Key key, Object buffer) {}

    private final Map<Key, ArrayDeque<Object>> free = new HashMap<>();
    private final List<Loan> lent = new ArrayList<>();

    /** Makes this workspace the source of tensor buffers on this thread until the scope closes. */
    public Scope enter() {
        Workspace previous = ACTIVE.get();
        if (previous == this) throw new IllegalStateException("workspace entered twice");
        ACTIVE.set(this);
        return () -> {
            for (Loan loan : lent) {
                if (POISON && loan.buffer instanceof float[] array) java.util.Arrays.fill(array, Float.NaN);
                free.computeIfAbsent(loan.key, k -> new ArrayDeque<>()).push(loan.buffer);
            }
            lent.clear();
            ACTIVE.set(previous);
        };
    }

    /** A zeroed array of length n: recycled inside a scope, new outside. */
    public static float[] allocate(int n) {
        float[] a = allocateForOverwrite(n);
        if (ACTIVE.get() != null) java.util.Arrays.fill(a, 0f);
        return a;
    }

    /**
     * An array of length n whose old contents may remain: only for ops that write every element.
     * Zeroing recycled arrays that are overwritten anyway would cost a pass over memory per op.
     */
    public static float[] allocateForOverwrite(int n) {
        return lend(float[].class, n, float[]::new);
    }

    // region lend (quoted in docs/cuda-kernels.md)
    /**
     * A buffer of a backend's own kind (a device buffer, say) whose old contents may remain:
     * inside a scope, one returned by an earlier scope if there is one, else {@code make}'s; outside
     * a scope, always {@code make}'s, and then the buffer is the caller's.
     */
    public static <T> T lend(Class<T> kind, int length, IntFunction<T> make) {
        Workspace w = ACTIVE.get();
        if (w == null) return make.apply(length);
        Key key = new Key(kind, length);
        ArrayDeque<Object> pool = w.free.get(key);
        T buffer = pool == null || pool.isEmpty() ? make.apply(length) : kind.cast(pool.pop());
        w.lent.add(new Loan(key, buffer));
        return buffer;
    }
    // endregion

    /** Closes a {@link #enter()} scope; not reentrant. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
