package io.github.lstm4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The small fixed pool of daemon threads that the kernels run on: {@code threads - 1} workers plus
 * the calling thread, which always takes part.
 *
 * <p>{@link #run} hands out task indices {@code 0 .. tasks-1} to whichever thread is free, so the
 * callers must make each task's result independent of the thread that computes it and of the
 * other tasks; then results are the same bits for any thread count. Three cases run every task
 * on the calling thread instead, in index order: one thread, a call from inside a task (nested
 * parallelism), and a call while another thread is using the pool.
 *
 * <p>Idle workers spin for {@value #SPIN_NANOS} ns, then park, so a burst of small parallel
 * regions (the steps of a training loop) does not pay a wake-up for each, and an idle library
 * costs no CPU.
 */
final class KernelPool {

    /** How long an idle worker, or a caller waiting for the last task, spins before parking. */
    static final long SPIN_NANOS = 500_000;

    /** True on the workers, and on a caller while it runs tasks: nested calls run inline. */
    private static final ThreadLocal<boolean[]> IN_TASK = ThreadLocal.withInitial(() -> new boolean[1]);

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    /** Posted between parallel calls, so that a finished job's task (and what it holds) can be freed. */
    private static final Job IDLE = new Job(0, i -> { }, null);

    /** The job the workers should join; replaced (never reused) by each parallel call. */
    private volatile Job current = IDLE;
    private volatile boolean stopped;

    /** Starts {@code threads - 1} daemon workers. */
    KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("lstm4j.threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** The number of threads this pool runs tasks on, the caller included. */
    int threads() {
        return threads;
    }

    /**
     * How many threads a parallel call made now could use: 1 inside a task (nested calls run
     * inline), else {@link #threads()}.
     */
    int available() {
        return IN_TASK.get()[0] ? 1 : threads;
    }

    /**
     * Runs {@code body.accept(i)} once for every {@code i} in {@code [0, tasks)}, spread over the
     * pool, and returns when all are done. The first exception thrown by a task is rethrown here
     * (after every task has finished or been skipped).
     */
    void run(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        boolean[] inTask = IN_TASK.get();
        if (tasks == 1 || workers.length == 0 || inTask[0] || stopped || !lock.tryLock()) {
            runInline(tasks, body, inTask);
            return;
        }
        try {
            Job job = new Job(tasks, body, Thread.currentThread());
            current = job;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            inTask[0] = true;
            try {
                job.work();
            } finally {
                inTask[0] = false;
            }
            job.awaitDone();
            current = IDLE;
            job.rethrow();
        } finally {
            lock.unlock();
        }
    }

    private static void runInline(int tasks, IntConsumer body, boolean[] inTask) {
        boolean was = inTask[0];
        inTask[0] = true;
        try {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
        } finally {
            inTask[0] = was;
        }
    }

    /** Stops the workers once they are idle; later calls run inline. */
    void shutdown() {
        stopped = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One parallel call: its tasks, the next index to hand out and the count still running. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger remaining;
        volatile Throwable error;

        Job(int tasks, IntConsumer body, Thread caller) {
            this.tasks = tasks;
            this.body = body;
            this.caller = caller;
            this.remaining = new AtomicInteger(tasks);
        }

        /** Takes tasks until none is left. */
        void work() {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    if (error == null) {
                        body.accept(i);
                    }
                } catch (Throwable t) {
                    if (error == null) {
                        error = t;
                    }
                } finally {
                    if (remaining.decrementAndGet() == 0 && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }

        /** Waits (spinning, then parked) until every task has finished. */
        void awaitDone() {
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            while (remaining.get() > 0) {
                if (System.nanoTime() < spinEnd) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 200_000);
                }
            }
        }

        void rethrow() {
            Throwable t = error;
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("lstm4j kernel task failed", t);
            }
        }
    }

    /** A daemon thread that joins each new job. */
    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("lstm4j-kernel-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            IN_TASK.get()[0] = true;
            Job seen = null;
            while (!stopped) {
                Job job = current;
                if (job == seen) {
                    job = awaitJob(seen);
                    if (job == null) {
                        return;
                    }
                }
                seen = job;
                if (job != IDLE) {
                    job.work();
                }
            }
        }

        /** Spins, then parks, until a job other than {@code seen} is posted; null when stopped. */
        private Job awaitJob(Job seen) {
            long spinEnd = System.nanoTime() + SPIN_NANOS;
            while (true) {
                if (stopped) {
                    return null;
                }
                Job job = current;
                if (job != seen) {
                    return job;
                }
                if (System.nanoTime() < spinEnd) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (current == seen && !stopped) {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }
}
