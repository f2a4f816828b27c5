package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel pool: real parallelism, every task once, nested calls inline, errors to the caller. */
@Tag("plain-fallback")
class KernelPoolTest {

    private int savedThreads;

    @BeforeEach
    void twoThreads() {
        savedThreads = Kernels.threads();
        Kernels.setThreads(2);
    }

    @AfterEach
    void restore() {
        Kernels.setThreads(savedThreads);
    }

    @Test
    void twoTasksRunAtTheSameTimeOnTwoThreads() {
        // each task waits for the other: run one after the other, they would time out
        CyclicBarrier both = new CyclicBarrier(2);
        Kernels.pool().run(2, i -> {
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the two tasks did not run at the same time", e);
            }
        });
    }

    @Test
    void everyTaskRunsExactlyOnce() {
        AtomicIntegerArray runs = new AtomicIntegerArray(1000);
        for (int round = 0; round < 20; round++) {
            Kernels.pool().run(1000, runs::incrementAndGet);
        }
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(20, runs.get(i), "task " + i);
        }
    }

    @Test
    void aCallFromInsideATaskRunsInlineOnThatThread() {
        AtomicIntegerArray nestedThreads = new AtomicIntegerArray(2);
        Kernels.pool().run(2, i -> {
            nestedThreads.set(i, Kernels.pool().available());
            Thread outer = Thread.currentThread();
            Kernels.pool().run(3, j -> assertSame(outer, Thread.currentThread()));
        });
        assertEquals(1, nestedThreads.get(0));
        assertEquals(1, nestedThreads.get(1));
    }

    @Test
    void aTasksExceptionReachesTheCallerAfterTheOthersFinish() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Kernels.pool().run(8, i -> {
                if (i == 5) {
                    throw new IllegalStateException("task 5 failed");
                }
            }));
        assertEquals("task 5 failed", e.getMessage());
        // the pool still works afterwards
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        Kernels.pool().run(4, runs::incrementAndGet);
        assertEquals(1, runs.get(3));
    }

    @Test
    void parallelRangesCoverEveryIndexOnceInAlignedRanges() {
        AtomicIntegerArray seen = new AtomicIntegerArray(103);
        Kernels.parallelRanges(103, 4, 1L << 20, (from, to) -> {
            assertEquals(0, from % 4, "ranges start at multiples of the alignment");
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < seen.length(); i++) {
            assertEquals(1, seen.get(i), "index " + i);
        }
    }

    @Test
    void parallelTasksRunSmallTasksAtTheSameTimeAndLargeOnesInOrderOnTheCaller() {
        // small: the two tasks wait for each other, which only works if they run side by side
        CyclicBarrier both = new CyclicBarrier(2);
        Runnable waitForTheOther = () -> {
            try {
                both.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the two tasks did not run at the same time", e);
            }
        };
        Kernels.parallelTasks(100, 100, waitForTheOther, waitForTheOther);
        // large: every task on the calling thread, in order
        Thread caller = Thread.currentThread();
        StringBuilder order = new StringBuilder();
        Kernels.parallelTasks(100, 101,
            () -> order.append(Thread.currentThread() == caller ? 'a' : 'x'),
            () -> order.append(Thread.currentThread() == caller ? 'b' : 'y'),
            () -> order.append(Thread.currentThread() == caller ? 'c' : 'z'));
        assertEquals("abc", order.toString());
    }

    @Test
    void parallelTasksHandTheFirstExceptionToTheCaller() {
        AtomicIntegerArray runs = new AtomicIntegerArray(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Kernels.parallelTasks(100, 1,
                () -> runs.incrementAndGet(0),
                () -> {
                    throw new IllegalArgumentException("task 1 failed");
                },
                () -> runs.incrementAndGet(2)));
        assertEquals("task 1 failed", e.getMessage());
        // tasks not yet started when one fails are skipped; the pool still works afterwards
        Kernels.parallelTasks(100, 1, () -> runs.incrementAndGet(1), () -> runs.incrementAndGet(1));
        assertEquals(2, runs.get(1));
    }
}
