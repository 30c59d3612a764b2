package cebm.tensor.cpu.parallel;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScratchPoolTest {
    @Test
    void aSetIsLentToOneBorrowerAtATimeAndLentAgainOnceGivenBack() {
        AtomicInteger made = new AtomicInteger();
        ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[] {made.incrementAndGet()});
        int[] first = pool.borrow(), second = pool.borrow();
        assertNotSame(first, second);
        pool.giveBack(first);
        assertSame(first, pool.borrow());
        pool.giveBack(second);
        pool.giveBack(first);
        int[] again = pool.borrow(), andAgain = pool.borrow();
        assertNotSame(again, andAgain);
        assertEquals(Set.of(1, 2), Set.of(again[0], andAgain[0]), "no new set while two were free");
        assertEquals(2, made.get());
    }

    /** More sets given back than the pool keeps: the rest are dropped, and lending goes on. */
    @Test
    void givingBackMoreSetsThanItKeepsLosesNothingItLends() {
        ScratchPool<Object> pool = new ScratchPool<>(Object::new);
        Set<Object> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 200; i++) given.add(new Object());
        given.forEach(pool::giveBack);
        Set<Object> lent = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 200; i++) lent.add(pool.borrow());
        assertEquals(200, lent.size(), "every set lent at most once");
        lent.retainAll(given);
        assertTrue(lent.size() > 0 && lent.size() < 200, "some sets kept, not all: " + lent.size());
    }

    /** Every item runs exactly once, each worker with a set of its own while it runs. */
    @Test
    void forEachRunsEveryItemOnceWithASetPerWorker() {
        ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[1]);
        int count = 20_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(count);
        AtomicInteger clashes = new AtomicInteger();
        pool.forEach(count, (set, i) -> {
            // A set held by two workers at once would see the other's mark.
            set[0] = i;
            runs.incrementAndGet(i);
            if (set[0] != i) clashes.incrementAndGet();
        });
        for (int i = 0; i < count; i++) assertEquals(1, runs.get(i), "item " + i);
        assertEquals(0, clashes.get());
    }
}
