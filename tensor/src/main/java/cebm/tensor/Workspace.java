package cebm.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * made on the entering thread from here ({@link #allocate}); arrays handed to callers
 * ({@code toArray}) never come from a workspace.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> ACTIVE = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final List<float[]> lent = new ArrayList<>();

    /** Makes this workspace the source of CPU tensor arrays on this thread until the scope closes. */
    public Scope enter() {
        Workspace previous = ACTIVE.get();
        if (previous == this) throw new IllegalStateException("workspace entered twice");
        ACTIVE.set(this);
        return () -> {
            for (float[] a : lent) free.computeIfAbsent(a.length, n -> new ArrayDeque<>()).push(a);
            lent.clear();
            ACTIVE.set(previous);
        };
    }

    /** A zeroed array of length n: recycled inside a scope, new outside. */
    public static float[] allocate(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new float[n] : w.take(n, true);
    }

    /**
     * An array of length n whose old contents may remain: only for ops that write every element.
     * Zeroing recycled arrays that are overwritten anyway would cost a pass over memory per op.
     */
    public static float[] allocateForOverwrite(int n) {
        Workspace w = ACTIVE.get();
        return w == null ? new float[n] : w.take(n, false);
    }

    private float[] take(int n, boolean zeroed) {
        ArrayDeque<float[]> pool = free.get(n);
        float[] a;
        if (pool == null || pool.isEmpty()) {
            a = new float[n];
        } else {
            a = pool.pop();
            if (zeroed) java.util.Arrays.fill(a, 0f);
        }
        lent.add(a);
        return a;
    }

    /** Closes a {@link #enter()} scope; not reentrant. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
