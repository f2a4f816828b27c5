package io.github.lstm4j.tensor;

/**
 * A single-precision matrix-multiply kernel over raw row-major {@code float[]} storage.
 *
 * <p>Implementations trust their arguments: shapes, strides and offsets are validated once by
 * {@link Kernels#gemm}, the facade that library code calls. A provider called directly with bad
 * arguments may throw {@link ArrayIndexOutOfBoundsException} or write outside the described
 * matrices. Implementations are stateless as far as callers can tell and safe for concurrent use
 * from several threads on disjoint outputs.
 */
public interface KernelProvider {

    /**
     * The short name of this provider, as accepted by the {@code lstm4j.kernels} system property.
     *
     * @return {@code "plain"} or {@code "vector"}
     */
    String name();

    /**
     * C = op(A) * op(B) + beta * C, row-major, where op(X) is X or X<sup>T</sup>.
     *
     * <p>op(A) is {@code m x k}, op(B) is {@code k x n}, C is {@code m x n}. A is stored as
     * {@code (transA ? k x m : m x k)} with row stride {@code lda}, B as
     * {@code (transB ? n x k : k x n)} with row stride {@code ldb}, C with row stride {@code ldc},
     * each starting at its offset. {@code beta == 0} means C is overwritten (its old contents, even
     * NaN, are ignored); {@code beta == 1} accumulates into C. If {@code k == 0} the result is
     * {@code beta * C}.
     *
     * <p>Modifies only {@code c}, and only the {@code m x n} elements of C; {@code a} and {@code b}
     * are read only. C must not overlap A or B.
     *
     * @param transA whether A is stored transposed ({@code k x m})
     * @param transB whether B is stored transposed ({@code n x k})
     * @param m      rows of op(A) and of C, {@code >= 0}
     * @param n      columns of op(B) and of C, {@code >= 0}
     * @param k      columns of op(A) and rows of op(B), {@code >= 0}
     * @param a      storage of A (read)
     * @param aOff   index in {@code a} of the first element of A
     * @param lda    row stride of A as stored
     * @param b      storage of B (read)
     * @param bOff   index in {@code b} of the first element of B
     * @param ldb    row stride of B as stored
     * @param beta   scale of the old contents of C; 0 ignores them
     * @param c      storage of C (written)
     * @param cOff   index in {@code c} of the first element of C
     * @param ldc    row stride of C
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);
}
