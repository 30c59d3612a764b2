package cebm.tensor.cpu.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Work arrays for the tasks of parallel loops: each task borrows a set, and gives it back when it
 * ends (in a {@code finally}), so the pool holds as many sets as tasks have ever run at once (one
 * per core). The free sets sit in a fixed row of slots, taken and filled by compare-and-set, so
 * that borrowing and giving back allocate nothing. NOTE: not a queue, which would allocate a node
 * at every give-back: one per group of images for the GEMM's own set, garbage that grows with the
 * batch.
 *
 * <p>NOTE: not a {@link ThreadLocal}. Since Java 17 the worker threads of the common fork-join
 * pool, which runs {@code IntStream.parallel()}, clear their thread-locals after every task
 * submitted from outside the pool. Work arrays kept in thread-locals would therefore be allocated
 * anew on the worker at every parallel call, at every convolution of every SGLD step.
 */
public final class ScratchPool<T> {
    /** Far more than the sets ever in use at once (one per core); a set given back to a full row is dropped. */
    private static final int SLOTS = 64;
    private final AtomicReferenceArray<T> free = new AtomicReferenceArray<>(SLOTS);
    private final Supplier<T> create;

    public ScratchPool(Supplier<T> create) {
        this.create = create;
    }

    /**
     * Runs {@code task.accept(scratch, i)} for every i in [0, count), in parallel: one worker per
     * core (the caller and the common fork-join pool's threads), each with a set borrowed for
     * the whole call, and each taking the next i as soon as it is done with one.
     *
     * <p>Why not {@code IntStream.range(0, count).parallel().forEach}: it cuts the range up front
     * into four pieces per pool thread (four in all on two cores), so a core slowed by another
     * process on the machine, or by the batch's smaller last group, keeps the other waiting for
     * up to a quarter of the work. Handing out one item at a time balances within one item.
     * Which worker runs an item changes nothing in its result: every item writes its own outputs.
     */
    public void forEach(int count, ObjIntConsumer<T> task) {
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(count, ForkJoinPool.getCommonPoolParallelism() + 1);
        IntStream.range(0, workers).parallel().forEach(worker -> {
            T scratch = borrow();
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) task.accept(scratch, i);
            } finally {
                giveBack(scratch);
            }
        });
    }

    /** A set of work arrays for the calling task, which gives it back when it ends ({@link #giveBack}). */
    public T borrow() {
        for (int slot = 0; slot < SLOTS; slot++) {
            T scratch = free.get(slot);
            if (scratch != null && free.compareAndSet(slot, scratch, null)) return scratch;
        }
        return create.get();
    }

    public void giveBack(T scratch) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (free.get(slot) == null && free.compareAndSet(slot, null, scratch)) return;
        }
    }
}
