package io.github.lstm4j.tensor;

import java.util.Arrays;

/**
 * The plain-Java GEMM provider: portable, and the reference that every faster provider is tested
 * against.
 *
 * <p>The product is computed in i-k-j order: for each row i of C and each k index p, the row
 * {@code op(B)[p, :]} scaled by {@code op(A)[i, p]} is added into row i of C, four values of p per
 * pass so that the row of C is loaded and stored a quarter as often. HotSpot's C2 compiler turns
 * that inner loop into SIMD code on its own, but only when both arrays are indexed from 0 (JDK 17
 * gives up on two different base offsets), so each k block of op(B) is first copied, or
 * transposed when B is stored transposed, into one small array per row, and each row of C is
 * accumulated in a scratch row. op(A) is only read one scalar at a time; its block of
 * {@value #KC} stored rows or columns stays in cache, so it is not copied.
 *
 * <p>Blocking: k is cut into blocks of {@value #KC} and n into blocks of {@value #NC}, which
 * bounds the per-thread scratch space to {@code KC x NC} floats.
 *
 * <p>Arguments are not validated here; call through {@link Kernels#gemm} for checked access.
 * Instances are thread-safe: scratch space is per thread.
 */
public final class PlainKernels implements KernelProvider {

    /** Rows of op(B) (and columns of op(A)) handled per block. */
    static final int KC = 256;
    /** Columns of op(B) and C handled per block. */
    static final int NC = 1024;
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
        Scratch scratch = SCRATCH.get();
        float[][] bRows = scratch.rows(Math.min(k, KC), Math.min(n, NC));
        float[] cRow = bRows[bRows.length - 1];   // one spare row beyond the KC rows of B
        // op(A)[i, p] is a[aOff + i * aRowStep + p * aColStep]
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
     * cRow[0..nc) += sum over p &lt; kc of a[ai + p * aStep] * bRows[p][0..nc). Modifies only
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
                cRow[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];
            }
        }
        for (; p < kc; p++) {
            float s = a[ai];
            ai += aStep;
            float[] b0 = bRows[p];
            for (int j = 0; j < nc; j++) {
                cRow[j] += s * b0[j];
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
