package io.github.lstm4j.tensor;

import java.util.Arrays;

/**
 * The plain-Java GEMM provider: portable, and the reference that every faster provider is tested
 * against.
 *
 * <p>The arithmetic, shared by every provider: each element of C is one chain of fused
 * multiply-adds, {@code acc = fma(op(A)[i, p], op(B)[p, j], acc)} for {@code p = 0, 1, ..., k-1}
 * in order, starting from the old C scaled by beta ({@code beta == 0}: from +0, whatever C held;
 * {@code beta == 1}: from C as it is; otherwise from {@code beta * C}, rounded once). Only the
 * final value is stored, or the partial one between k blocks, which is the same float. The
 * {@link VectorKernels} micro-kernels run the same chains in their lanes, so both providers
 * give the same bits for every product.
 *
 * <p>The product is computed in i-k-j order: for each row i of C and each k index p, the row
 * {@code op(B)[p, :]} scaled by {@code op(A)[i, p]} is fused-multiply-added into row i of C, four
 * values of p per pass (nested, so each element's chain keeps its order) so that the row of C is
 * loaded and stored a quarter as often. HotSpot's C2 compiler turns that inner loop into SIMD
 * code on its own, {@code Math.fma} included, but only when both arrays are indexed from 0 (JDK 17
 * gives up on two different base offsets), so each k block of op(B) is first copied, or
 * transposed when B is stored transposed, into one small array per row, and each row of C is
 * accumulated in a scratch row. op(A) is only read one scalar at a time; its block of
 * {@value #KC} stored rows or columns stays in cache, so it is not copied.
 *
 * <p>Blocking: k is cut into blocks of {@value #KC} and n into blocks of {@value #NC}, which
 * bounds the per-thread scratch space to {@code KC x NC} floats.
 *
 * <p>Threads: C is cut into blocks of whole rows or whole columns ({@link GemmPartition}); an
 * element's value depends only on its k blocks, so not on the thread count.
 *
 * <p>Arguments are not validated here; call through {@link Kernels#gemm} for checked access.
 * Instances are thread-safe: scratch space is per thread.
 */
public final class PlainKernels implements KernelProvider {

    /** Rows of op(B) (and columns of op(A)) handled per block. */
    static final int KC = 256;
    /** Columns of op(B) and C handled per block. */
    static final int NC = 1024;
    /** Blocks of columns given to different threads start at multiples of this. */
    private static final int COL_ALIGN = 16;
    /** Side of the square tiles used when transposing a block of B. */
    private static final int TILE = 16;

    /** Per-thread scratch: KC rows of op(B) and one row of C, each NC floats long at most. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Creates the plain provider. */
    public PlainKernels() {
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code "plain"}
     */
    @Override
    public String name() {
        return "plain";
    }

    /**
     * {@inheritDoc}
     *
     * <p>Modifies only {@code c} (and this thread's private scratch rows). Arguments are trusted;
     * see {@link Kernels#gemm} for the checked entry point.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        scale(m, n, beta, c, cOff, ldc);
        if (k == 0) {
            return;
        }
        // op(A)[i, p] is a[aOff + i * aRowStep + p * aColStep]
        int aRowStep = transA ? 1 : lda;
        GemmPartition.run(m, n, k, 1, COL_ALIGN, (i0, i1, j0, j1) ->
            gemmBlock(transA, transB, i1 - i0, j1 - j0, k, a, aOff + i0 * aRowStep, lda,
                b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + i0 * ldc + j0, ldc));
    }

    /** C += op(A) op(B) over one block of C, on the calling thread. Modifies {@code c}. */
    private static void gemmBlock(boolean transA, boolean transB, int m, int n, int k,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc) {
        Scratch scratch = SCRATCH.get();
        float[][] bRows = scratch.rows(Math.min(k, KC), Math.min(n, NC));
        float[] cRow = bRows[bRows.length - 1];   // one spare row beyond the KC rows of B
        int aRowStep = transA ? 1 : lda;
        int aColStep = transA ? lda : 1;

        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                if (transB) {
                    // stored B is n x k: stored rows jc.. become the columns of the block
                    transpose(b, bOff + jc * ldb + pc, ldb, nc, kc, bRows);
                } else {
                    for (int p = 0; p < kc; p++) {
                        System.arraycopy(b, bOff + (pc + p) * ldb + jc, bRows[p], 0, nc);
                    }
                }
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + jc;
                    int ai = aOff + i * aRowStep + pc * aColStep;
                    System.arraycopy(c, ci, cRow, 0, nc);
                    accumulateRow(nc, kc, a, ai, aColStep, bRows, cRow);
                    System.arraycopy(cRow, 0, c, ci, nc);
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The plain layout is op(B) itself, {@code k x n} row-major.
     */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        float[] data = ArrayPool.take(k * n);   // every element is written
        for (int p = 0; p < k; p++) {
            if (transB) {
                for (int j = 0; j < n; j++) {
                    data[p * n + j] = b[bOff + j * ldb + p];
                }
            } else {
                System.arraycopy(b, bOff + p * ldb, data, p * n, n);
            }
        }
        return new PackedMatrix(this, k, n, data);
    }

    /** {@inheritDoc} Modifies only {@code c}. */
    @Override
    public void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float beta,
                     float[] c, int cOff, int ldc) {
        gemm(false, false, m, b.cols(), b.rows(), a, aOff, lda, b.data(), 0, b.cols(), beta, c, cOff, ldc);
    }

    /** Rows summed in float before their sum is added in double; see {@link #columnSums}. */
    static final int SUM_BLOCK = 32;

    /** {@inheritDoc} */
    @Override
    public void columnSums(int rows, int j0, int j1, float[] x, int off, int ld, float[] sums) {
        columnSums(rows, j0, j1, x, off, ld, sums, false);
    }

    /**
     * The column sums of {@link KernelProvider#columnSums}, with the float sums of each block of
     * rows taken on vectors ({@link VectorColumnSums}) or in plain Java: the same operations in
     * the same order either way. Writes {@code sums[j0..j1)}.
     */
    static void columnSums(int rows, int j0, int j1, float[] x, int off, int ld, float[] sums, boolean vector) {
        double[] acc = new double[j1 - j0];
        float[] part = new float[j1 - j0];
        for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
            int r1 = Math.min(rows, r0 + SUM_BLOCK);
            if (vector) {
                VectorColumnSums.blockSums(r0, r1, j0, j1, x, off, ld, part);
            } else {
                blockSums(r0, r1, j0, j1, x, off, ld, part, j0);
            }
            for (int j = 0; j < acc.length; j++) {
                acc[j] += part[j];
            }
        }
        for (int j = 0; j < acc.length; j++) {
            sums[j0 + j] = (float) acc[j];
        }
    }

    /**
     * {@code part[j - base]} = the float sum of rows {@code [r0, r1)} of column {@code j}, in row
     * order, for {@code j} in {@code [j0, j1)}. Writes {@code part}.
     */
    static void blockSums(int r0, int r1, int j0, int j1, float[] x, int off, int ld, float[] part, int base) {
        if (j0 >= j1) {
            return;
        }
        System.arraycopy(x, off + r0 * ld + j0, part, j0 - base, j1 - j0);
        for (int r = r0 + 1; r < r1; r++) {
            int i = off + r * ld;
            for (int j = j0; j < j1; j++) {
                part[j - base] += x[i + j];
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public void adamUpdate(int n, float[] p, float[] g, float[] m, float[] v, float b1, float c1, float b2, float c2,
                           float bc2Sqrt, float eps, float negStepSize) {
        adamRange(0, n, p, g, m, v, b1, c1, b2, c2, bc2Sqrt, eps, negStepSize);
    }

    /** {@link #adamUpdate} of the elements {@code [i0, i1)}. */
    static void adamRange(int i0, int i1, float[] p, float[] g, float[] m, float[] v, float b1, float c1, float b2,
                          float c2, float bc2Sqrt, float eps, float negStepSize) {
        for (int i = i0; i < i1; i++) {
            float gi = g[i];
            float mi = m[i] * b1;                   // exp_avg.mul_(beta1).add_(grad, 1 - beta1)
            mi += c1 * gi;
            float vi = v[i] * b2;                   // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2)
            vi += c2 * gi * gi;
            float denom = (float) Math.sqrt(vi);    // exp_avg_sq.sqrt() / sqrt(bias_correction2) + eps
            denom /= bc2Sqrt;
            denom += eps;
            p[i] += negStepSize * mi / denom;       // param.addcdiv_(exp_avg, denom, -step_size)
            m[i] = mi;
            v[i] = vi;
        }
    }

    /** {@inheritDoc} The scalar reference, {@link LstmKernels#forwardRow}, row after row. */
    @Override
    public void lstmForward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] rec, int rOff, int rStride,
                            float[] c, int cOff, int cStride, float[] tanhC, int tOff, int tStride,
                            float[] h, int hOff, int hStride) {
        for (int r = 0; r < rows; r++) {
            LstmKernels.forwardRow(hidden, gates, gOff + r * gStride, rec, rOff + r * rStride, c, cOff + r * cStride,
                tanhC, tOff + r * tStride, h, hOff + r * hStride);
        }
    }

    /** {@inheritDoc} The scalar reference, {@link LstmKernels#backwardRow}, row after row. */
    @Override
    public void lstmBackward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] tanhC, int tOff,
                             int tStride, float[] cPrev, int cpOff, int cpStride, float[] dh, int dhOff, int dhStride,
                             float[] dh2, int dh2Off, int dh2Stride, float[] dc, int dcOff, int dcStride,
                             float[] dGates, int dgOff, int dgStride) {
        for (int r = 0; r < rows; r++) {
            LstmKernels.backwardRow(hidden, gates, gOff + r * gStride, tanhC, tOff + r * tStride,
                cPrev, cpOff + r * cpStride, dh, dhOff + r * dhStride, dh2, dh2Off + r * dh2Stride,
                dc, dcOff + r * dcStride, dGates, dgOff + r * dgStride);
        }
    }

    /**
     * cRow[j] = fma(a[ai + p * aStep], bRows[p][j], cRow[j]) for p = 0, 1, ..., kc - 1 in turn,
     * for every j &lt; nc: each element's chain of fused multiply-adds in k order. Modifies only
     * {@code cRow}.
     */
    private static void accumulateRow(int nc, int kc, float[] a, int ai, int aStep,
                                      float[][] bRows, float[] cRow) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float s0 = a[ai];
            float s1 = a[ai + aStep];
            float s2 = a[ai + 2 * aStep];
            float s3 = a[ai + 3 * aStep];
            ai += 4 * aStep;
            float[] b0 = bRows[p];
            float[] b1 = bRows[p + 1];
            float[] b2 = bRows[p + 2];
            float[] b3 = bRows[p + 3];
            for (int j = 0; j < nc; j++) {
                cRow[j] = Math.fma(s3, b3[j], Math.fma(s2, b2[j], Math.fma(s1, b1[j], Math.fma(s0, b0[j], cRow[j]))));
            }
        }
        for (; p < kc; p++) {
            float s = a[ai];
            ai += aStep;
            float[] b0 = bRows[p];
            for (int j = 0; j < nc; j++) {
                cRow[j] = Math.fma(s, b0[j], cRow[j]);
            }
        }
    }

    /**
     * dst[j][i] = src[srcOff + i * srcStride + j] for i &lt; rows, j &lt; cols; square tiles keep
     * the reads and the writes within a few cache lines. Modifies only {@code dst}.
     */
    private static void transpose(float[] src, int srcOff, int srcStride, int rows, int cols,
                                  float[][] dst) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    int s = srcOff + i * srcStride;
                    for (int j = j0; j < j1; j++) {
                        dst[j][i] = src[s + j];
                    }
                }
            }
        }
    }

    /**
     * C = beta * C over the {@code m x n} block; beta 0 writes zeros whatever C held (even NaN),
     * beta 1 leaves C untouched. Modifies only {@code c}.
     */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, ci, ci + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /** One thread's scratch rows, grown on demand. */
    private static final class Scratch {
        private float[][] rows = new float[1][0];

        /** At least {@code count + 1} rows of at least {@code length} floats. */
        float[][] rows(int count, int length) {
            if (rows.length < count + 1 || rows[0].length < length) {
                int newCount = Math.max(rows.length, count + 1);
                int newLength = Math.max(rows[0].length, length);
                rows = new float[newCount][newLength];
            }
            return rows;
        }
    }
}
