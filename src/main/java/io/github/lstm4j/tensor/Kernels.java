package io.github.lstm4j.tensor;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel facade that every layer calls: validates arguments once and delegates to the
 * {@link KernelProvider} chosen when this class is initialized.
 *
 * <p>The provider is chosen by the system property {@value #PROPERTY}:
 * <ul>
 *   <li>{@code auto} (the default): {@code vector} when the {@code jdk.incubator.vector} module is
 *       in the boot layer (run with {@code --add-modules jdk.incubator.vector}), the C2 compiler is
 *       running (not {@code -Xint}, not {@code -XX:TieredStopAtLevel=1}) and the preferred
 *       {@code FloatVector} species has at least 4 lanes; {@code plain} otherwise;</li>
 *   <li>{@code plain}: always the plain-Java provider;</li>
 *   <li>{@code vector}: the Vector API provider if it can be loaded, else {@code plain} with a
 *       warning.</li>
 * </ul>
 * The choice is logged once at INFO through SLF4J. {@link VectorKernels} is loaded reflectively,
 * so the library runs without the incubator module.
 *
 * <p>Threads: products, the fused LSTM's batch rows and column sums run on a small fixed pool of
 * daemon threads, {@value #THREADS_PROPERTY} of them (default: the available processors; set at
 * run time with {@link #setThreads}), the calling thread included. Work is cut so that every
 * element of a result is computed by the same operations whichever thread computes it, so the
 * results are the same bits for any thread count. Products below about a million multiply-adds
 * run on the calling thread.
 *
 * <p>Thread-safe: any number of threads may call the kernels at once. The pool serves one caller
 * at a time; a call that finds it busy runs on its own thread (the same bits).
 */
public final class Kernels {

    /** The system property that selects the provider: {@code auto}, {@code plain} or {@code vector}. */
    public static final String PROPERTY = "lstm4j.kernels";

    private static final Logger log = LoggerFactory.getLogger(Kernels.class);

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.github.lstm4j.tensor.VectorKernels";
    private static final int MIN_LANES = 4;

    /** The system property that sets the thread count of the kernel pool (default: the processors). */
    public static final String THREADS_PROPERTY = "lstm4j.threads";

    private static final KernelProvider PLAIN = new PlainKernels();
    private static final VectorLoad VECTOR = loadVector();
    /**
     * The provider the facade delegates to: chosen once, at class initialization; replaced only by
     * {@link #use}, for tests.
     */
    private static volatile KernelProvider provider =
            choose(System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT));

    /**
     * What loading the Vector API provider gave.
     *
     * @param provider    the provider, or null when it could not be loaded
     * @param lanes       lanes of the preferred species, 0 when not loaded
     * @param c2          whether the C2 compiler runs
     * @param unsuitable  why {@code auto} must not pick it, or null when it may
     */
    private record VectorLoad(KernelProvider provider, int lanes, boolean c2, String unsuitable) {
    }

    /** Loads VectorKernels reflectively, only if its module is there. Never throws. */
    private static VectorLoad loadVector() {
        String vmInfo = System.getProperty("java.vm.info", "");
        boolean c2 = !vmInfo.contains("emulated-client") && !vmInfo.contains("interpreted mode");
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return new VectorLoad(null, 0, c2, VECTOR_MODULE + " not in the boot layer; run with --add-modules "
                    + VECTOR_MODULE + " for the fast kernels");
        }
        KernelProvider provider;
        int lanes;
        try {
            Class<?> cls = Class.forName(VECTOR_CLASS);
            provider = (KernelProvider) cls.getConstructor().newInstance();
            lanes = (Integer) cls.getMethod("lanes").invoke(provider);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            log.warn("lstm4j: could not load {} although {} is present; falling back to plain kernels",
                    VECTOR_CLASS, VECTOR_MODULE, e);
            return new VectorLoad(null, 0, c2, "could not load " + VECTOR_CLASS + ": " + e);
        }
        String unsuitable = null;
        if (!c2) {
            unsuitable = "C2 is not running (java.vm.info=" + vmInfo + ")";
        } else if (lanes < MIN_LANES) {
            unsuitable = "FloatVector has only " + lanes + " lanes";
        }
        return new VectorLoad(provider, lanes, c2, unsuitable);
    }

    /** Picks the provider for the requested setting and logs the choice once. */
    private static KernelProvider choose(String requested) {
        String vectorInfo = "FloatVector " + VECTOR.lanes() + " lanes, " + (VECTOR.c2() ? "C2" : "no C2");
        KernelProvider chosen;
        String why;
        if (requested.equals("plain")) {
            chosen = PLAIN;
            why = PROPERTY + "=plain";
        } else if (requested.equals("vector")) {
            if (VECTOR.provider() != null) {
                if (VECTOR.unsuitable() != null) {
                    log.warn("{}=vector requested although {}; it may be slow", PROPERTY, VECTOR.unsuitable());
                }
                chosen = VECTOR.provider();
                why = vectorInfo + ", " + PROPERTY + "=vector";
            } else {
                log.warn("{}=vector requested but unavailable: {}; using plain", PROPERTY, VECTOR.unsuitable());
                chosen = PLAIN;
                why = VECTOR.unsuitable();
            }
        } else {
            if (!requested.equals("auto")) {
                log.warn("{}={} is not one of auto, plain, vector; using auto", PROPERTY, requested);
            }
            if (VECTOR.unsuitable() == null) {
                chosen = VECTOR.provider();
                why = vectorInfo;
            } else {
                chosen = PLAIN;
                why = VECTOR.unsuitable();
            }
        }
        log.info("lstm4j kernels: {} ({})", chosen.name(), why);
        return chosen;
    }

    private static volatile KernelPool pool = new KernelPool(initialThreads());

    private Kernels() {
    }

    /** {@value #THREADS_PROPERTY} if it is a positive integer, else the available processors. */
    private static int initialThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null) {
            return cpus;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the warning
        }
        log.warn("{}={} is not a positive integer; using {} threads", THREADS_PROPERTY, value, cpus);
        return cpus;
    }

    /**
     * The number of threads the kernels use, the calling thread included: {@code -D}{@value
     * #THREADS_PROPERTY} at start-up (default: the available processors), or the last
     * {@link #setThreads}.
     *
     * @return at least 1
     */
    public static int threads() {
        return pool.threads();
    }

    /**
     * Sets the number of threads the kernels use from now on, the calling thread included; 1
     * runs everything on the calling thread. Results are the same bits for every thread count.
     * Replaces the pool: its idle workers end.
     *
     * @param n at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("lstm4j threads must be >= 1, got " + n);
        }
        KernelPool old = pool;
        if (old.threads() == n) {
            return;
        }
        pool = new KernelPool(n);
        old.shutdown();
        log.debug("lstm4j kernels: {} threads", n);
    }

    /** The current pool. */
    static KernelPool pool() {
        return pool;
    }

    /** A part of a loop run by {@link #parallelRanges}: the indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /**
         * Runs the loop body for the indices {@code [from, to)}.
         *
         * @param from first index
         * @param to   one past the last index
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, count)} cut into at most {@link #threads()} contiguous
     * ranges, each a multiple of {@code align} long (but the last), in parallel on the kernel
     * pool; returns when all are done. Runs the whole range on the calling thread when there is
     * one thread, when {@code count * workPerIndex} is too small to be worth a wake-up of the
     * pool, or when called from inside a parallel task.
     *
     * <p>The caller must compute each index the same way whichever range it falls in; then the
     * results do not depend on the thread count.
     *
     * @param count        the number of indices
     * @param align        ranges start at multiples of this, at least 1
     * @param workPerIndex a rough cost of one index, in multiply-adds
     * @param body         the loop body; exceptions are rethrown here
     */
    public static void parallelRanges(int count, int align, long workPerIndex, Range body) {
        KernelPool p = pool;
        int chunks = GemmPartition.chunks((long) count * Math.max(workPerIndex, 1), p.available());
        if (chunks < 2 || count < 2 * align) {
            body.run(0, count);
            return;
        }
        int size = GemmPartition.roundUp(GemmPartition.ceilDiv(count, chunks), align);
        int n = GemmPartition.ceilDiv(count, size);
        p.run(n, t -> body.run(t * size, Math.min(count, (t + 1) * size)));
    }

    /**
     * Runs independent tasks, each on one thread, spread over the pool, and returns when all are
     * done; for several small products that can be computed at the same time (the gradients of a
     * layer's weights and input), where one synchronisation for all of them costs less than one
     * per product and the threads balance by taking the next task when free. The products inside
     * a task run on its thread (nested calls run inline), each computed as it would be alone, so
     * results do not depend on the thread count.
     *
     * <p>When the largest task is more than {@code maxTaskWork} multiply-adds (a product worth
     * splitting by itself), or there is one thread, the tasks run one after the other on the
     * calling thread instead, in order, and each product splits itself as usual.
     *
     * @param maxTaskWork the largest task, in multiply-adds, that this runs whole on one thread
     * @param largestTask a rough cost of the largest task, in multiply-adds
     * @param tasks       the tasks; the first exception thrown is rethrown here, once every task
     *                    has finished or been skipped (tasks not started by then are skipped)
     */
    public static void parallelTasks(long maxTaskWork, long largestTask, Runnable... tasks) {
        KernelPool p = pool;
        if (tasks.length < 2 || p.available() < 2 || largestTask > maxTaskWork) {
            for (Runnable t : tasks) {
                t.run();
            }
            return;
        }
        p.run(tasks.length, i -> tasks[i].run());
    }

    /**
     * The provider that {@link #gemm} delegates to, chosen when this class is initialized (only
     * tests replace it, through {@link #use}).
     *
     * @return the chosen provider; its {@link KernelProvider#name()} is {@code "plain"} or
     *         {@code "vector"}
     */
    public static KernelProvider provider() {
        return provider;
    }

    /**
     * Makes {@code p} the provider that the facade delegates to from now on and returns the one it
     * replaces. For tests only, which compare the providers inside one JVM and must put the old
     * one back afterwards (the test tree's {@code KernelsForTests.using} does); applications choose
     * with {@value #PROPERTY}. Not for use while any other thread computes through the facade: a
     * {@link PackedMatrix} packed by one provider is refused by the other.
     *
     * @param p {@link #plain()} or the provider of {@link #vector()}
     * @return the provider used until now
     */
    static synchronized KernelProvider use(KernelProvider p) {
        KernelProvider old = provider;
        provider = Objects.requireNonNull(p, "provider");
        log.debug("lstm4j kernels: switched from {} to {}", old.name(), p.name());
        return old;
    }

    /**
     * The plain-Java provider, always available. Calls on it are not validated.
     *
     * @return the shared {@link PlainKernels} instance
     */
    public static KernelProvider plain() {
        return PLAIN;
    }

    /**
     * The Vector API provider, present whenever it could be loaded (the {@code jdk.incubator.vector}
     * module is in the boot layer), even if {@code auto} would not pick it. Calls on it are not
     * validated.
     *
     * @return the shared {@link KernelProvider} named {@code "vector"}, or empty
     */
    public static Optional<KernelProvider> vector() {
        return Optional.ofNullable(VECTOR.provider());
    }

    /**
     * C = op(A) * op(B) + beta * C through the chosen provider, after checking every argument.
     * See {@link KernelProvider#gemm} for the exact contract: op(A) is {@code m x k}, op(B) is
     * {@code k x n}, C is {@code m x n}, all row-major; beta 0 overwrites C (ignoring NaN), beta 1
     * accumulates.
     *
     * <p>Modifies only {@code c}, and only the {@code m x n} elements of C. C must not share
     * elements with A or B.
     *
     * @param transA whether A is stored transposed ({@code k x m})
     * @param transB whether B is stored transposed ({@code n x k})
     * @param m      rows of op(A) and C
     * @param n      columns of op(B) and C
     * @param k      columns of op(A) and rows of op(B)
     * @param a      storage of A (read)
     * @param aOff   index in {@code a} of the first element of A
     * @param lda    row stride of A as stored, at least its stored column count
     * @param b      storage of B (read)
     * @param bOff   index in {@code b} of the first element of B
     * @param ldb    row stride of B as stored, at least its stored column count
     * @param beta   scale of the old contents of C; 0 ignores them
     * @param c      storage of C (written)
     * @param cOff   index in {@code c} of the first element of C
     * @param ldc    row stride of C, at least {@code n}
     * @throws IllegalArgumentException if a size is negative, a row stride is shorter than its
     *         row, an offset is negative, or a matrix does not fit in its array; the message names
     *         the operand
     * @throws NullPointerException if an array is null
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(
                    "gemm: sizes must be >= 0, got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkOperand("gemm", "A", "lda", a, aOff, lda,
                transA ? k : m, transA ? m : k, transA ? "k" : "m", transA ? "m" : "k", transA);
        checkOperand("gemm", "B", "ldb", b, bOff, ldb,
                transB ? n : k, transB ? k : n, transB ? "n" : "k", transB ? "k" : "n", transB);
        checkOperand("gemm", "C", "ldc", c, cOff, ldc, m, n, "m", "n", false);
        provider.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Copies op(B) into the chosen provider's packed layout once, for many products
     * {@link #gemm(int, float[], int, int, PackedMatrix, float, float[], int, int)} with the same
     * right operand (the steps of a recurrent layer). op(B) is {@code k x n}; B is stored
     * {@code n x k} when {@code transB}, with row stride {@code ldb}. Reads {@code b}; later
     * changes to it are not seen by the packed copy.
     *
     * @return the packed copy
     * @throws IllegalArgumentException if a size is negative or B does not fit in its array
     */
    public static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("pack: sizes must be >= 0, got k=" + k + ", n=" + n);
        }
        checkOperand("pack", "B", "ldb", b, bOff, ldb,
                transB ? n : k, transB ? k : n, transB ? "n" : "k", transB ? "k" : "n", transB);
        return provider.pack(transB, k, n, b, bOff, ldb);
    }

    /**
     * C = A * B + beta * C with B packed by {@link #pack}: A is {@code m x k} as stored (row
     * stride {@code lda}), C is {@code m x n}. Gives the same bits as
     * {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float,
     * float[], int, int)} of A by op(B) stored as is. Modifies only the {@code m x n} elements of C.
     *
     * @throws IllegalArgumentException if {@code b} was packed by another provider, or A or C does
     *         not fit in its array
     */
    public static void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float beta,
                            float[] c, int cOff, int ldc) {
        KernelProvider p = provider;
        if (b.owner() != p) {
            throw new IllegalArgumentException("gemm: B was packed by the " + b.owner().name()
                    + " provider, not by " + p.name());
        }
        if (m < 0) {
            throw new IllegalArgumentException("gemm: sizes must be >= 0, got m=" + m);
        }
        checkOperand("gemm", "A", "lda", a, aOff, lda, m, b.rows(), "m", "k", false);
        checkOperand("gemm", "C", "ldc", c, cOff, ldc, m, b.cols(), "m", "n", false);
        p.gemm(m, a, aOff, lda, b, beta, c, cOff, ldc);
    }

    /**
     * {@link #gemm(int, float[], int, int, PackedMatrix, float, float[], int, int)} with A stored
     * in two parts side by side: A ({@code m x k}, {@code k = b.rows()}) is [A1 A2], its first
     * {@code k1} columns in {@code a1} (row stride {@code lda1}) and the other {@code k - k1} in
     * {@code a2} (row stride {@code lda2}); the row {@code bias} ({@code n} floats), when not
     * null, is added to every row: C = bias + A * B. The bits are those of C filled with the bias
     * rows and then the product with A stored whole accumulated onto it (beta 1), so of a product
     * by A1 followed by one by A2 accumulating onto it. Modifies only the {@code m x n} elements of C.
     *
     * @throws IllegalArgumentException if {@code b} was packed by another provider, {@code k1} is
     *         not in {@code [0, k]}, the bias is shorter than n, or a part of A or C does not fit in
     *         its array
     */
    public static void gemmConcat(int m, float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off, int lda2,
                                  PackedMatrix b, float[] bias, float[] c, int cOff, int ldc) {
        KernelProvider p = provider;
        if (b.owner() != p) {
            throw new IllegalArgumentException("gemmConcat: B was packed by the " + b.owner().name()
                    + " provider, not by " + p.name());
        }
        int k = b.rows();
        if (m < 0 || k1 < 0 || k1 > k) {
            throw new IllegalArgumentException("gemmConcat: need m >= 0 and 0 <= k1 <= k=" + k + ", got m=" + m
                    + ", k1=" + k1);
        }
        checkOperand("gemmConcat", "A1", "lda1", a1, a1Off, lda1, m, k1, "m", "k1", false);
        checkOperand("gemmConcat", "A2", "lda2", a2, a2Off, lda2, m, k - k1, "m", "k-k1", false);
        checkOperand("gemmConcat", "C", "ldc", c, cOff, ldc, m, b.cols(), "m", "n", false);
        if (bias != null && bias.length < b.cols()) {
            throw new IllegalArgumentException("gemmConcat: bias has " + bias.length + " floats, needs n=" + b.cols());
        }
        p.gemmConcat(m, a1, a1Off, lda1, k1, a2, a2Off, lda2, b, bias, c, cOff, ldc);
    }

    /**
     * One Adam update without weight decay through the chosen provider
     * ({@link KernelProvider#adamUpdate}): the same bits on either. The arrays must hold
     * {@code n} elements; not checked.
     */
    public static void adamUpdate(int n, float[] p, float[] g, float[] m, float[] v, float b1, float c1, float b2,
                                  float c2, float bc2Sqrt, float eps, float negStepSize) {
        provider.adamUpdate(n, p, g, m, v, b1, c1, b2, c2, bc2Sqrt, eps, negStepSize);
    }

    /**
     * The pointwise forward of one LSTM step for {@code rows} batch rows through the chosen
     * provider: {@link LstmKernels#forwardRow} on each row, row {@code r} of an operand starting
     * at its offset plus {@code r} times its stride. The arguments are not checked. Writes
     * {@code gates}, {@code c}, {@code tanhC} and {@code h}.
     */
    public static void lstmForward(int rows, int hidden, float[] gates, int gOff, int gStride,
                                   float[] rec, int rOff, int rStride, float[] c, int cOff, int cStride,
                                   float[] tanhC, int tOff, int tStride, float[] h, int hOff, int hStride) {
        provider.lstmForward(rows, hidden, gates, gOff, gStride, rec, rOff, rStride, c, cOff, cStride,
                tanhC, tOff, tStride, h, hOff, hStride);
    }

    /**
     * The pointwise backward of one LSTM step for {@code rows} batch rows through the chosen
     * provider: {@link LstmKernels#backwardRow} on each row, row {@code r} of an operand starting
     * at its offset plus {@code r} times its stride ({@code dh2} may be null). The arguments are
     * not checked. Writes {@code dGates} and {@code dc}.
     */
    public static void lstmBackward(int rows, int hidden, float[] gates, int gOff, int gStride,
                                    float[] tanhC, int tOff, int tStride, float[] cPrev, int cpOff, int cpStride,
                                    float[] dh, int dhOff, int dhStride, float[] dh2, int dh2Off, int dh2Stride,
                                    float[] dc, int dcOff, int dcStride, float[] dGates, int dgOff, int dgStride) {
        provider.lstmBackward(rows, hidden, gates, gOff, gStride, tanhC, tOff, tStride, cPrev, cpOff, cpStride,
                dh, dhOff, dhStride, dh2, dh2Off, dh2Stride, dc, dcOff, dcStride, dGates, dgOff, dgStride);
    }

    /**
     * The column sums of a {@code rows x cols} row-major matrix (row stride {@code ld}) as a new
     * array of {@code cols}: the bias gradients of the fused layers. Each column is summed in
     * float over blocks of 32 rows and the block sums in double (see
     * {@link KernelProvider#columnSums}); ranges of columns are spread over the pool. The bits
     * depend neither on the thread count nor on the provider. Reads {@code x}.
     *
     * @throws IllegalArgumentException if the matrix does not fit in {@code x}
     */
    public static float[] columnSums(int rows, int cols, float[] x, int off, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("columnSums: sizes must be >= 0, got rows=" + rows + ", cols=" + cols);
        }
        checkOperand("columnSums", "X", "ld", x, off, ld, rows, cols, "rows", "cols", false);
        float[] sums = new float[cols];
        KernelProvider p = provider;
        parallelRanges(cols, 64, rows, (j0, j1) -> p.columnSums(rows, j0, j1, x, off, ld, sums));
        return sums;
    }

    /**
     * Checks that a {@code rows x cols} row-major matrix with row stride {@code ld} starting at
     * {@code off} fits in {@code x}. Names are used only for the message, which is built only on
     * failure.
     */
    private static void checkOperand(String op, String operand, String ldName, float[] x, int off, int ld,
                                     int rows, int cols, String rowsName, String colsName,
                                     boolean transposed) {
        if (x == null) {
            throw new NullPointerException(op + ": " + operand + " is null");
        }
        if (ld < cols) {
            throw new IllegalArgumentException(op + ": " + operand + " row stride " + ldName + "=" + ld
                    + " is less than its " + cols + " stored columns ("
                    + shape(operand, ldName, ld, rows, cols, rowsName, colsName, transposed) + ")");
        }
        if (off < 0) {
            throw new IllegalArgumentException(op + ": " + operand + " offset " + off + " is negative ("
                    + shape(operand, ldName, ld, rows, cols, rowsName, colsName, transposed) + ")");
        }
        long needed = rows == 0 || cols == 0 ? 0L : (long) (rows - 1) * ld + cols;
        if (off + needed > x.length) {
            throw new IllegalArgumentException(op + ": " + operand + " needs " + needed
                    + " floats from offset " + off + " ("
                    + shape(operand, ldName, ld, rows, cols, rowsName, colsName, transposed)
                    + ") but has " + x.length);
        }
    }

    /** The stored shape of an operand for messages, e.g. {@code "transB, n=4, k=3, ldb=3"}. */
    private static String shape(String operand, String ldName, int ld, int rows, int cols,
                                String rowsName, String colsName, boolean transposed) {
        return (transposed ? "trans" + operand + ", " : "")
                + rowsName + "=" + rows + ", " + colsName + "=" + cols + ", " + ldName + "=" + ld;
    }
}
