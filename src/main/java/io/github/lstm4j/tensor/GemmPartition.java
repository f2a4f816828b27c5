package io.github.lstm4j.tensor;

/**
 * Cuts the output of a product into blocks of whole rows or whole columns and runs them on the
 * {@link Kernels} pool.
 *
 * <p>Why the bits do not depend on the thread count: every provider computes an element of C as
 * the same chain of operations (the k blocks in order, each element's own accumulator) whichever
 * block, tile or edge kernel it falls in, as long as the algorithm is chosen once for the whole
 * product. So the providers choose first and then call {@link #run}, which only decides which
 * thread computes which elements.
 *
 * <p>Small products run on the calling thread: below {@value #MIN_PARALLEL_FMAS} multiply-adds a
 * wake-up of the pool costs more than the second thread saves.
 */
final class GemmPartition {

    /** Products smaller than this (in multiply-adds) run on the calling thread. */
    static final long MIN_PARALLEL_FMAS = 1L << 20;
    /** The least work (multiply-adds) worth a block of its own. */
    static final long MIN_BLOCK_FMAS = 1L << 19;

    /** The thresholds in force: the constants above, lowered by tests to split small products. */
    private static volatile long minParallel = MIN_PARALLEL_FMAS;
    private static volatile long minBlock = MIN_BLOCK_FMAS;

    /** A block of C: rows {@code [i0, i1)}, columns {@code [j0, j1)}. */
    interface Block {
        void run(int i0, int i1, int j0, int j1);
    }

    private GemmPartition() {
    }

    /**
     * Runs {@code block} over blocks that together cover {@code m x n} exactly once. The split
     * is along the larger of m and n (so the operand packed again by every block is the smaller
     * one), in multiples of {@code rowAlign} rows or {@code colAlign} columns so that blocks
     * start on whole register tiles.
     */
    static void run(int m, int n, int k, int rowAlign, int colAlign, Block block) {
        long work = (long) m * n * Math.max(k, 1);
        int threads = Kernels.pool().available();
        int chunks = chunks(work, threads);
        if (chunks < 2) {
            block.run(0, m, 0, n);
            return;
        }
        boolean byRows = m >= n ? m >= 2 * rowAlign || n < 2 * colAlign : n < 2 * colAlign;
        int dim = byRows ? m : n;
        int align = byRows ? rowAlign : colAlign;
        int size = roundUp(ceilDiv(dim, chunks), align);
        int count = ceilDiv(dim, size);
        if (count < 2) {
            block.run(0, m, 0, n);
            return;
        }
        Kernels.pool().run(count, t -> {
            int s = t * size;
            int e = Math.min(dim, s + size);
            if (byRows) {
                block.run(s, e, 0, n);
            } else {
                block.run(0, m, s, e);
            }
        });
    }

    /**
     * How many blocks a product of {@code work} multiply-adds may be cut into on {@code threads}
     * threads: 1 when it is too small to be worth a wake-up of the pool.
     */
    static int chunks(long work, int threads) {
        if (threads < 2 || work < minParallel) {
            return 1;
        }
        long block = minBlock;
        return block <= 0 ? threads : (int) Math.min(threads, Math.max(1, work / block));
    }

    /**
     * Sets the thresholds, for tests that want small products split too; {@code (0, 0)} splits
     * everything, {@link #MIN_PARALLEL_FMAS} and {@link #MIN_BLOCK_FMAS} restore the defaults.
     */
    static void setThresholds(long parallel, long block) {
        minParallel = parallel;
        minBlock = block;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
