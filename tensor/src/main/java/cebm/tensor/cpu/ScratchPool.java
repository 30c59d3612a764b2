package cebm.tensor.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Work arrays for the tasks of parallel loops: each task borrows a set, and gives it back when it
 * ends, so the pool holds as many sets as tasks have ever run at once (one per core).
 *
 * <p>NOTE: not a {@link ThreadLocal}. Since Java 17 the worker threads of the common fork-join
 * pool, which runs {@code IntStream.parallel()}, clear their thread-locals after every task
 * submitted from outside the pool. Work arrays kept in thread-locals were therefore allocated
 * anew on the worker at every parallel call, including at every convolution of every SGLD step.
 */
final class ScratchPool<T> {
    private final ConcurrentLinkedQueue<T> free = new ConcurrentLinkedQueue<>();
    private final Supplier<T> create;

    ScratchPool(Supplier<T> create) {
        this.create = create;
    }

    /** Runs {@code task} with a set of work arrays lent to it for its duration. */
    void use(Consumer<T> task) {
        T scratch = free.poll();
        if (scratch == null) scratch = create.get();
        try {
            task.accept(scratch);
        } finally {
            free.offer(scratch);
        }
    }
}
