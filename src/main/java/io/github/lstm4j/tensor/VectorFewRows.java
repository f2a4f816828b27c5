package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.NR;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * The two paths of {@link VectorKernels} for products with only a few rows, where packing would
 * cost as much as the product: one or two rows by B stored as is, read in place by one-row
 * kernels ({@link #gemmRows}), and up to {@value #GATHER_MAX_M} rows by B stored transposed, read
 * in place by gathers ({@link #gemmGather}).
 *
 * <p>Both compute every element exactly as the packed path does, and so as {@link PlainKernels}:
 * one chain of fused multiply-adds over k in ascending order. (The dot products over contiguous
 * rows of a transposed B that an earlier version used sum lane-split partial sums, another order.)
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorFewRows {

    /** Rows of C up to which B stored as is is read in place; see {@link #gemmRows}. */
    static final int ROWS_MAX_M = 2;

    /** Rows of C up to which a B stored transposed is read in place by gathers; see {@link #gemmGather}. */
    static final int GATHER_MAX_M = 4;
    /** Rows of op(A) that share each gathered vector of B. */
    private static final int GATHER_ROWS = 4;
    /** One vector of zeros, read only. */
    private static final float[] ZERO = new float[L];

    private VectorFewRows() {
    }

    /**
     * Whether a product by B stored transposed is better read in place by gathers
     * ({@link #gemmGather}) than packed: only where gathers are single instructions (x86), and
     * for up to {@value #GATHER_MAX_M} rows. Measured on AVX-512 (JMH, one thread), gathering
     * took 0.5-0.8 of the packed path's time for 1 to 4 rows (k x n from 64 x 192 to 512 x 512),
     * about as long for 8 rows, and longer for small products of 8 rows.
     */
    static boolean useGather(int m, int n) {
        return VectorPacking.GATHER && m <= GATHER_MAX_M && n >= L;
    }

    /**
     * The path for a few rows times B stored transposed ({@code n x k}), as in {@code x W^T} with a
     * small batch or {@code h W_hh^T} in a recurrent step: C's columns are taken a vector of L at a
     * time, and for each k step the L elements {@code op(B)[p, j..j+L)}, which lie in L stored rows
     * of B, are gathered into one vector ({@code rowStarts = {0, ldb, 2 ldb, ...}}), shared by up to
     * four rows of op(A) (the strip the last rows of a block fall in repeats its last row); op(A) is read one scalar per k step wherever it is stored. Every element
     * is one chain of fused multiply-adds over all of k, in ascending order; the last
     * {@code n mod L} columns are scalar chains. Modifies only {@code c}.
     */
    static void gemmGather(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, boolean accumulate,
                           float[] c, int cOff, int ldc, int[] rowStarts) {
        int aRowStep = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        int nv = n - n % L;
        for (int i0 = 0; i0 < m; i0 += GATHER_ROWS) {
            int rows = Math.min(GATHER_ROWS, m - i0);
            // a strip of fewer than four rows repeats its last row; the repeats are not stored
            int a0 = aOff + i0 * aRowStep;
            int a1 = aOff + (i0 + Math.min(1, rows - 1)) * aRowStep;
            int a2 = aOff + (i0 + Math.min(2, rows - 1)) * aRowStep;
            int a3 = aOff + (i0 + Math.min(3, rows - 1)) * aRowStep;
            int c0 = cOff + i0 * ldc;
            int c1 = cOff + (i0 + Math.min(1, rows - 1)) * ldc;
            int c2 = cOff + (i0 + Math.min(2, rows - 1)) * ldc;
            int c3 = cOff + (i0 + Math.min(3, rows - 1)) * ldc;
            for (int j = 0; j < nv; j += L) {
                gatherTile(k, a, a0, a1, a2, a3, aStep, b, bOff + j * ldb, rowStarts, accumulate,
                        c, c0 + j, c1 + j, c2 + j, c3 + j, rows);
            }
            for (int i = i0; i < i0 + rows; i++) {
                int ai = aOff + i * aRowStep;
                int ci = cOff + i * ldc;
                for (int j = nv; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float acc = accumulate ? c[ci + j] : 0f;
                    for (int p = 0; p < k; p++) {
                        acc = Math.fma(a[ai + p * aStep], b[bj + p], acc);
                    }
                    c[ci + j] = acc;
                }
            }
        }
    }

    /**
     * Four rows of op(A) (at {@code a0..a3}, step {@code aStep}) times L columns of op(B) gathered
     * from B stored transposed (stored rows from {@code bi}): four accumulators, one gather per k
     * step. Stores the first {@code rows} of them at {@code c0..c3}. Modifies only {@code c}.
     */
    private static void gatherTile(int k, float[] a, int a0, int a1, int a2, int a3, int aStep,
                                   float[] b, int bi, int[] rowStarts, boolean accumulate,
                                   float[] c, int c0, int c1, int c2, int c3, int rows) {
        // starting from zero is loading the ZERO row (no vector merged from two branches, which
        // C2 may box)
        float[] src = accumulate ? c : ZERO;
        FloatVector acc0 = FloatVector.fromArray(S, src, accumulate ? c0 : 0);
        FloatVector acc1 = FloatVector.fromArray(S, src, accumulate ? c1 : 0);
        FloatVector acc2 = FloatVector.fromArray(S, src, accumulate ? c2 : 0);
        FloatVector acc3 = FloatVector.fromArray(S, src, accumulate ? c3 : 0);
        for (int p = 0; p < k; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, bi + p, rowStarts, 0);
            int ap = p * aStep;
            acc0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, acc0);
            acc1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, acc1);
            acc2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, acc2);
            acc3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, acc3);
        }
        acc0.intoArray(c, c0);
        if (rows > 1) {
            acc1.intoArray(c, c1);
        }
        if (rows > 2) {
            acc2.intoArray(c, c2);
        }
        if (rows > 3) {
            acc3.intoArray(c, c3);
        }
    }

    /**
     * The path for one or two rows times B stored as is ({@code k x n}), as in {@code g W} with a
     * batch of one: each element of B is used at most twice, so packing it would cost as much as
     * the product. B is read in place, a block of {@code kBlock} rows by four vectors at a time
     * (kept in L1 while each row of op(A) runs over it); op(A) is read one scalar per k step
     * wherever it is stored. The last {@code n mod L} columns are done by a scalar loop of fused
     * multiply-adds, since a full vector there could run past the end of the array.
     * Modifies {@code c} and {@code tile}.
     */
    static void gemmRows(boolean transA, int m, int n, int k, int kBlock, float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb, boolean accumulateFirst,
                         float[] c, int cOff, int ldc, float[] tile) {
        int aRowStep = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        int nv = n - n % L;   // columns covered by whole vectors
        for (int pc = 0; pc < k; pc += kBlock) {
            int kc = Math.min(kBlock, k - pc);
            boolean accumulate = pc > 0 || accumulateFirst;
            int aBase = aOff + pc * aStep;
            int bBase = bOff + pc * ldb;
            int j = 0;
            for (; j + NR <= nv; j += NR) {
                for (int i = 0; i < m; i++) {
                    VectorMicroKernels.kernel1x4(kc, a, aBase + i * aRowStep, aStep, b, bBase + j, ldb,
                            c, cOff + i * ldc + j, accumulate, NR, tile);
                }
            }
            for (; j < nv; j += L) {
                for (int i = 0; i < m; i++) {
                    VectorMicroKernels.kernel1x1(kc, a, aBase + i * aRowStep, aStep, b, bBase + j, ldb,
                            c, cOff + i * ldc + j, accumulate, L, tile);
                }
            }
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (!accumulate) {
                    Arrays.fill(c, ci + nv, ci + n, 0f);
                }
                for (int p = 0; p < kc; p++) {
                    float s = a[aBase + i * aRowStep + p * aStep];
                    int bi = bBase + p * ldb;
                    for (int jj = nv; jj < n; jj++) {
                        c[ci + jj] = Math.fma(s, b[bi + jj], c[ci + jj]);
                    }
                }
            }
        }
    }
}
