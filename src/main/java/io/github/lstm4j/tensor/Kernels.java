package io.github.lstm4j.tensor;

import java.util.Locale;
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
 */
public final class Kernels {

    /** The system property that selects the provider: {@code auto}, {@code plain} or {@code vector}. */
    public static final String PROPERTY = "lstm4j.kernels";

    private static final Logger log = LoggerFactory.getLogger(Kernels.class);

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.github.lstm4j.tensor.VectorKernels";
    private static final int MIN_LANES = 4;

    private static final KernelProvider PLAIN = new PlainKernels();
    private static final VectorLoad VECTOR = loadVector();
    private static final KernelProvider PROVIDER =
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

    private Kernels() {
    }

    /**
     * The provider that {@link #gemm} delegates to, fixed when this class is initialized.
     *
     * @return the chosen provider; its {@link KernelProvider#name()} is {@code "plain"} or
     *         {@code "vector"}
     */
    public static KernelProvider provider() {
        return PROVIDER;
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
        checkOperand("A", "lda", a, aOff, lda,
                transA ? k : m, transA ? m : k, transA ? "k" : "m", transA ? "m" : "k", transA);
        checkOperand("B", "ldb", b, bOff, ldb,
                transB ? n : k, transB ? k : n, transB ? "n" : "k", transB ? "k" : "n", transB);
        checkOperand("C", "ldc", c, cOff, ldc, m, n, "m", "n", false);
        PROVIDER.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Checks that a {@code rows x cols} row-major matrix with row stride {@code ld} starting at
     * {@code off} fits in {@code x}. Names are used only for the message, which is built only on
     * failure.
     */
    private static void checkOperand(String operand, String ldName, float[] x, int off, int ld,
                                     int rows, int cols, String rowsName, String colsName,
                                     boolean transposed) {
        if (x == null) {
            throw new NullPointerException("gemm: " + operand + " is null");
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: " + operand + " row stride " + ldName + "=" + ld
                    + " is less than its " + cols + " stored columns ("
                    + shape(operand, ldName, ld, rows, cols, rowsName, colsName, transposed) + ")");
        }
        if (off < 0) {
            throw new IllegalArgumentException("gemm: " + operand + " offset " + off + " is negative ("
                    + shape(operand, ldName, ld, rows, cols, rowsName, colsName, transposed) + ")");
        }
        long needed = rows == 0 || cols == 0 ? 0L : (long) (rows - 1) * ld + cols;
        if (off + needed > x.length) {
            throw new IllegalArgumentException("gemm: " + operand + " needs " + needed
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
