package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.MR;
import static io.github.lstm4j.tensor.VectorMicroKernels.NR;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;
import static io.github.lstm4j.tensor.VectorMicroKernels.roundUp;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * The two paths of {@link VectorKernels} for products with only a few rows, where packing would
 * cost as much as the product: B stored as is, read in place by one-row kernels
 * ({@link #gemmRows}), and B stored transposed, read in place by dot products ({@link #gemmDot}).
 *
 * <p>The row path computes every element exactly as the packed path does (the same chain of
 * fused multiply-adds per k block); the dot path does not (it sums {@code L} partial sums), so
 * {@link VectorKernels} chooses it from the shape of the whole product, never of a block.
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorFewRows {

    /** Rows of C up to which B stored as is is read in place; see {@link #gemmRows}. */
    static final int ROWS_MAX_M = 2;
    /** Rows of C above which transposed B is always packed; see {@link #useDot}. */
    static final int DOT_MAX_M = 16;
    /** Depth of a k block on the dot-product path. */
    static final int DOT_KC = 1024;

    private VectorFewRows() {
    }

    /**
     * Whether B stored transposed is better read in place by dot products ({@link #gemmDot}) than
     * transposed into panels. Transposing costs about {@code k*n} whatever m is, while each dot
     * product pays a fixed horizontal sum on top of its {@code k/L} fmas; measured on AVX-512, the
     * dot products win for one or two rows and for up to 16 rows once k is at least 32 per row.
     */
    static boolean useDot(int m, int k) {
        return m <= 2 || (m <= DOT_MAX_M && k >= 32 * m);
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

    /**
     * The path for a few rows times B stored transposed ({@code n x k}), as in {@code x W^T} with
     * a small batch: every element of C is a dot product of a row of op(A) with a stored row of
     * B, both contiguous, so B is read in place instead of being transposed into panels (which
     * would cost as much as the product itself). Four rows of B are taken at a time and kept in
     * L1 while each row of op(A) runs over them; op(A) is packed (into {@code pa}, at least
     * {@code roundUp(m, MR) * min(k, DOT_KC)} floats) only when A is stored transposed.
     * Modifies {@code c}, {@code pa} and {@code scratch} (at least L floats).
     */
    static void gemmDot(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, boolean accumulateFirst,
                        float[] c, int cOff, int ldc, float[] pa, float[] scratch) {
        for (int pc = 0; pc < k; pc += DOT_KC) {
            int kc = Math.min(DOT_KC, k - pc);
            boolean accumulate = pc > 0 || accumulateFirst;
            // op(A)[i, pc + p] is aa[aBase + i * aStride + p]
            float[] aa;
            int aBase;
            int aStride;
            if (transA) {
                VectorPacking.packA(true, a, aOff, lda, 0, m, pc, kc, pa);
                aa = pa;
                aBase = 0;
                aStride = kc;
            } else {
                aa = a;
                aBase = aOff + pc;
                aStride = lda;
            }
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int bi = bOff + j * ldb + pc;
                int i = 0;
                for (; i + 2 <= m; i += 2) {
                    dot2x4(kc, aa, aBase + i * aStride, aStride, b, bi, ldb,
                            c, cOff + i * ldc + j, ldc, accumulate, scratch);
                }
                if (i < m) {
                    dot1x4(kc, aa, aBase + i * aStride, b, bi, ldb, c, cOff + i * ldc + j, accumulate, scratch);
                }
            }
            for (; j < n; j++) {
                int bi = bOff + j * ldb + pc;
                for (int i = 0; i < m; i++) {
                    float sum = dot(kc, aa, aBase + i * aStride, b, bi, scratch);
                    int ci = cOff + i * ldc + j;
                    c[ci] = accumulate ? c[ci] + sum : sum;
                }
            }
        }
    }

    /** The packing buffer {@link #gemmDot} needs for a transposed A: its size in floats. */
    static int dotPackSize(int m, int k) {
        return roundUp(m, MR) * Math.min(k, DOT_KC);
    }

    /**
     * Dot products of two rows of op(A) (at {@code ai} and {@code ai + aStride}) with four stored
     * rows of B (at {@code bi}, stride {@code ldb}), all {@code kc} long: a 2 x 4 block of C at
     * {@code ci}, written or added to. Modifies {@code c} and {@code scratch}.
     */
    private static void dot2x4(int kc, float[] a, int ai, int aStride, float[] b, int bi, int ldb,
                               float[] c, int ci, int ldc, boolean accumulate, float[] scratch) {
        int ai1 = ai + aStride;
        int bi1 = bi + ldb;
        int bi2 = bi1 + ldb;
        int bi3 = bi2 + ldb;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        int kv = S.loopBound(kc);
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + p);
            FloatVector b1 = FloatVector.fromArray(S, b, bi1 + p);
            FloatVector b2 = FloatVector.fromArray(S, b, bi2 + p);
            FloatVector b3 = FloatVector.fromArray(S, b, bi3 + p);
            FloatVector a0 = FloatVector.fromArray(S, a, ai + p);
            FloatVector a1 = FloatVector.fromArray(S, a, ai1 + p);
            s00 = a0.fma(b0, s00);
            s01 = a0.fma(b1, s01);
            s02 = a0.fma(b2, s02);
            s03 = a0.fma(b3, s03);
            s10 = a1.fma(b0, s10);
            s11 = a1.fma(b1, s11);
            s12 = a1.fma(b2, s12);
            s13 = a1.fma(b3, s13);
        }
        s00.intoArray(scratch, 0);
        float t00 = sumLanes(scratch);
        s01.intoArray(scratch, 0);
        float t01 = sumLanes(scratch);
        s02.intoArray(scratch, 0);
        float t02 = sumLanes(scratch);
        s03.intoArray(scratch, 0);
        float t03 = sumLanes(scratch);
        s10.intoArray(scratch, 0);
        float t10 = sumLanes(scratch);
        s11.intoArray(scratch, 0);
        float t11 = sumLanes(scratch);
        s12.intoArray(scratch, 0);
        float t12 = sumLanes(scratch);
        s13.intoArray(scratch, 0);
        float t13 = sumLanes(scratch);
        for (; p < kc; p++) {
            float x0 = a[ai + p];
            float x1 = a[ai1 + p];
            float y0 = b[bi + p];
            float y1 = b[bi1 + p];
            float y2 = b[bi2 + p];
            float y3 = b[bi3 + p];
            t00 = Math.fma(x0, y0, t00);
            t01 = Math.fma(x0, y1, t01);
            t02 = Math.fma(x0, y2, t02);
            t03 = Math.fma(x0, y3, t03);
            t10 = Math.fma(x1, y0, t10);
            t11 = Math.fma(x1, y1, t11);
            t12 = Math.fma(x1, y2, t12);
            t13 = Math.fma(x1, y3, t13);
        }
        put4(c, ci, accumulate, t00, t01, t02, t03);
        put4(c, ci + ldc, accumulate, t10, t11, t12, t13);
    }

    /**
     * Dot products of one row of op(A) at {@code ai} with four stored rows of B at {@code bi}
     * (stride {@code ldb}): a 1 x 4 block of C at {@code ci}, written or added to. Modifies
     * {@code c} and {@code scratch}.
     */
    private static void dot1x4(int kc, float[] a, int ai, float[] b, int bi, int ldb,
                               float[] c, int ci, boolean accumulate, float[] scratch) {
        int bi1 = bi + ldb;
        int bi2 = bi1 + ldb;
        int bi3 = bi2 + ldb;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int kv = S.loopBound(kc);
        int p = 0;
        for (; p < kv; p += L) {
            FloatVector av = FloatVector.fromArray(S, a, ai + p);
            s0 = av.fma(FloatVector.fromArray(S, b, bi + p), s0);
            s1 = av.fma(FloatVector.fromArray(S, b, bi1 + p), s1);
            s2 = av.fma(FloatVector.fromArray(S, b, bi2 + p), s2);
            s3 = av.fma(FloatVector.fromArray(S, b, bi3 + p), s3);
        }
        s0.intoArray(scratch, 0);
        float t0 = sumLanes(scratch);
        s1.intoArray(scratch, 0);
        float t1 = sumLanes(scratch);
        s2.intoArray(scratch, 0);
        float t2 = sumLanes(scratch);
        s3.intoArray(scratch, 0);
        float t3 = sumLanes(scratch);
        for (; p < kc; p++) {
            float x = a[ai + p];
            t0 = Math.fma(x, b[bi + p], t0);
            t1 = Math.fma(x, b[bi1 + p], t1);
            t2 = Math.fma(x, b[bi2 + p], t2);
            t3 = Math.fma(x, b[bi3 + p], t3);
        }
        put4(c, ci, accumulate, t0, t1, t2, t3);
    }

    /** One dot product of {@code kc} floats at {@code a[ai..]} and {@code b[bi..]}. Modifies {@code scratch}. */
    private static float dot(int kc, float[] a, int ai, float[] b, int bi, float[] scratch) {
        FloatVector s = FloatVector.zero(S);
        int kv = S.loopBound(kc);
        int p = 0;
        for (; p < kv; p += L) {
            s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s);
        }
        s.intoArray(scratch, 0);
        float t = sumLanes(scratch);
        for (; p < kc; p++) {
            t = Math.fma(a[ai + p], b[bi + p], t);
        }
        return t;
    }

    /**
     * The sum of the first L floats of {@code scratch}, a vector stored there, added in lane order:
     * {@code reduceLanes(ADD)} leaves the order to the implementation, which could differ between
     * the interpreter and C2, so it is not used where results must be reproducible.
     */
    private static float sumLanes(float[] scratch) {
        float t = 0f;
        for (int i = 0; i < L; i++) {
            t += scratch[i];
        }
        return t;
    }

    /** c[ci .. ci+4) = (t0, t1, t2, t3), or += when accumulating. Modifies only {@code c}. */
    private static void put4(float[] c, int ci, boolean accumulate, float t0, float t1, float t2, float t3) {
        if (accumulate) {
            c[ci] += t0;
            c[ci + 1] += t1;
            c[ci + 2] += t2;
            c[ci + 3] += t3;
        } else {
            c[ci] = t0;
            c[ci + 1] = t1;
            c[ci + 2] = t2;
            c[ci + 3] = t3;
        }
    }
}
