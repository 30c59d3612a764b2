package cebm.tensor.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Work arrays for the tasks of parallel loops: each task borrows a set, and gives it back when it
 * ends (in a {@code finally}), so the pool holds as many sets as tasks have ever run at once (one
 * per core). Giving back allocates one queue node; a lambda handed the set would allocate more,
 * and an ArrayDeque under a lock, which allocates no node, measured more all the same (0.47
 * against 0.26 MB per SGLD step; where the difference is allocated was not found).
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

    /**
     * Runs {@code task.accept(scratch, i)} for every i in [0, count), in parallel on the common
     * fork-join pool, each with a set borrowed for the duration of that call.
     */
    void forEach(int count, ObjIntConsumer<T> task) {
        IntStream.range(0, count).parallel().forEach(i -> {
            T scratch = borrow();
            try {
                task.accept(scratch, i);
            } finally {
                giveBack(scratch);
            }
        });
    }

    /** A set of work arrays for the calling task, which gives it back when it ends ({@link #giveBack}). */
    T borrow() {
        T scratch = free.poll();
        return scratch != null ? scratch : create.get();
    }

    void giveBack(T scratch) {
        free.offer(scratch);
    }
}
