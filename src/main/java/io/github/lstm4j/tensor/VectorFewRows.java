package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.NR;

import java.util.Arrays;

/**
 * The path of {@link VectorKernels} for products of one or two rows by B stored as is, where
 * packing would cost as much as the product: B is read in place by one-row kernels
 * ({@link #gemmRows}).
 *
 * <p>It computes every element exactly as the packed path does, and so as {@link PlainKernels}:
 * one chain of fused multiply-adds over k in ascending order. (A B stored transposed is always
 * packed: reading it in place means dot products summed across lanes, in another order.)
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorFewRows {

    /** Rows of C up to which B stored as is is read in place; see {@link #gemmRows}. */
    static final int ROWS_MAX_M = 2;

    private VectorFewRows() {
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
