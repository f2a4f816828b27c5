package io.github.lstm4j.tensor;

/**
 * The numeric kernels over raw row-major {@code float[]} storage that one implementation provides:
 * the matrix product, the product with a prepacked right operand, and the pointwise part of an
 * LSTM step.
 *
 * <p>Implementations trust their arguments: shapes, strides and offsets are validated once by
 * {@link Kernels#gemm}, the facade that library code calls. A provider called directly with bad
 * arguments may throw {@link ArrayIndexOutOfBoundsException} or write outside the described
 * matrices. Implementations are stateless as far as callers can tell and safe for concurrent use
 * from several threads on disjoint outputs.
 *
 * <p>Threads: a product may run on the {@link Kernels} pool, but every element of its result must
 * be computed by the same operations whatever the thread count, so the bits never depend on it.
 *
 * <p>Providers: every method's results are the same bits on every provider. Each element of a
 * product is one chain of fused multiply-adds over k in ascending order, from +0 when
 * {@code beta == 0}, from C when {@code beta == 1}, from {@code beta * C} (rounded once)
 * otherwise; the LSTM step is {@link LstmKernels}' operations in their order, with the activations
 * {@link Activations#kernelSigmoid} and {@link Activations#kernelTanh}; the column sums are as
 * documented below. A new provider must keep to that arithmetic, not merely to its accuracy.
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

    /**
     * Copies op(B) ({@code k x n}; B stored {@code n x k} when {@code transB}) into this
     * provider's packed layout, for many products with the same right operand. Reads {@code b}.
     *
     * @return a snapshot of op(B) that only this provider's packed {@link #gemm(int, float[], int,
     *         int, PackedMatrix, float, float[], int, int) gemm} accepts
     */
    PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb);

    /**
     * C = A * B + beta * C with B packed by this provider's {@link #pack}: A is {@code m x k},
     * stored as is with row stride {@code lda}; the bits are those of the unpacked
     * {@link #gemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float,
     * float[], int, int) gemm} of A by op(B) stored as is (whether op(B) was packed from B or from
     * its transpose). Modifies only the {@code m x n} elements of C.
     */
    void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float beta, float[] c, int cOff, int ldc);

    /**
     * {@link #gemm(int, float[], int, int, PackedMatrix, float, float[], int, int) gemm} of the
     * {@code m x k} matrix A = [A1 A2] by a packed B, where A's first {@code k1} columns are
     * stored in {@code a1} (row stride {@code lda1}) and its other {@code k - k1} in {@code a2}
     * (row stride {@code lda2}): the bits of that product with A stored whole (each element's
     * chain of fused multiply-adds runs over A1's columns, then A2's), plus the row {@code bias}
     * ({@code n} floats) added to every row of C when it is not null: C = bias + A * B, the
     * bits of C filled with bias rows and then accumulated onto (beta 1), or C = A * B. An LSTM
     * step's gates in one product, {@code b_ih + b_hh + [x_t h_{t-1}] [W_ih W_hh]^T}. This default
     * copies A whole and fills C first. Modifies only the {@code m x n} elements of C.
     */
    default void gemmConcat(int m, float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off, int lda2,
                            PackedMatrix b, float[] bias, float[] c, int cOff, int ldc) {
        int k = b.rows();
        float[] a = ArrayPool.take(m * k);   // every element is written
        for (int i = 0; i < m; i++) {
            System.arraycopy(a1, a1Off + i * lda1, a, i * k, k1);
            System.arraycopy(a2, a2Off + i * lda2, a, i * k + k1, k - k1);
            if (bias != null) {
                System.arraycopy(bias, 0, c, cOff + i * ldc, b.cols());
            }
        }
        gemm(m, a, 0, k, b, bias != null ? 1f : 0f, c, cOff, ldc);
        ArrayPool.give(a);
    }

    /**
     * The pointwise forward of one LSTM step for {@code rows} batch rows: for each row
     * {@code r}, {@link LstmKernels#forwardRow} on the operands starting at {@code off + r * stride}
     * (gates and rec {@code 4H} long, the others {@code H}), with its bits. Writes
     * {@code gates}, {@code c}, {@code tanhC} and {@code h}; reads {@code rec}.
     */
    void lstmForward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] rec, int rOff, int rStride,
                     float[] c, int cOff, int cStride, float[] tanhC, int tOff, int tStride,
                     float[] h, int hOff, int hStride);

    /**
     * The pointwise backward of one LSTM step for {@code rows} batch rows: for each row
     * {@code r}, {@link LstmKernels#backwardRow} on the operands starting at
     * {@code off + r * stride}, with its bits. Writes {@code dGates} and {@code dc}.
     */
    void lstmBackward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] tanhC, int tOff, int tStride,
                      float[] cPrev, int cpOff, int cpStride, float[] dh, int dhOff, int dhStride,
                      float[] dh2, int dh2Off, int dh2Stride, float[] dc, int dcOff, int dcStride,
                      float[] dGates, int dgOff, int dgStride);

    /**
     * Column sums of a {@code rows x cols} row-major matrix, for the columns {@code [j0, j1)}:
     * each column summed in float over blocks of {@value PlainKernels#SUM_BLOCK} rows, in row
     * order, the block sums added in double and the total rounded once, so that every provider
     * gives the same bits. Writes only {@code sums[j0..j1)}.
     */
    void columnSums(int rows, int j0, int j1, float[] x, int off, int ld, float[] sums);

    /**
     * One Adam update of {@code n} elements without weight decay, in PyTorch's operation order,
     * each operation rounded to float: {@code m = m * b1 + c1 * g}, {@code v = v * b2 + c2 * g * g},
     * {@code p += negStepSize * m / (sqrt(v) / bc2Sqrt + eps)}. Writes {@code p}, {@code m} and
     * {@code v}; reads {@code g}.
     */
    void adamUpdate(int n, float[] p, float[] g, float[] m, float[] v, float b1, float c1, float b2, float c2,
                    float bc2Sqrt, float eps, float negStepSize);
}
