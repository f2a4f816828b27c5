package io.github.lstm4j.tensor;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner loops of {@link VectorKernels}: a packed block of op(A) times a packed
 * block of op(B), one tile of C at a time.
 *
 * <p>Every kernel computes an element of C the same way: its accumulator starts from C (when
 * accumulating) or from zero, takes one fused multiply-add per k step in order, and is stored
 * back. A full tile reads and writes C directly; an edge tile copies its part of C into a scratch
 * tile first and copies the result back, so no lane outside C is touched and an element gets the
 * same bits whether it falls in a full tile, an edge tile, or a narrower kernel. That is what
 * makes results independent of how a product is cut into blocks, and so of the thread count.
 *
 * <p>The tiles are straight-line code on purpose: a helper called 16 times pushes C2 past its
 * inlining budget, and a vector passed to a method that is not inlined gets boxed.
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorMicroKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    static final int L = S.length();
    /** Rows of C per micro-tile. */
    static final int MR = 4;
    /** Vectors of C per micro-tile row. */
    static final int NV = 4;
    /** Columns of C per micro-tile. */
    static final int NR = NV * L;
    /** A row of zeros that the tiles read (with row stride 0) to start from zero. Never written. */
    private static final float[] ZERO = new float[NR];

    private VectorMicroKernels() {
    }

    /**
     * Runs the micro-kernels over one packed block: C[0..mc, 0..nc] = A * B, plus the old C when
     * {@code accumulate}. A strips are MR rows of {@code kc} at {@code pa[i0 * kc]}; B panels are
     * {@code kc} rows of NR (the last rounded up to a multiple of L) at {@code pb[pbOff + j0 * kc]}.
     * Modifies {@code c} and {@code tile}.
     */
    static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb, int pbOff,
                            float[] c, int cBase, int ldc, boolean accumulate, float[] tile) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = roundUp(cols, L);      // panel width as packed
            int bBase = pbOff + j0 * kc;
            for (int i0 = 0; i0 < mc; i0 += MR) {
                int rows = Math.min(MR, mc - i0);
                int aBase = i0 * kc;
                int ci = cBase + i0 * ldc + j0;
                // the last strip of one to three rows takes the 4-row kernels too (its padded
                // rows of A are zeros and are not stored): fewer kernels in one compiled method
                if (width == NR) {
                    kernel4x4(kc, pa, aBase, pb, bBase, c, ci, ldc, accumulate, rows, cols, tile);
                } else {
                    for (int v = 0; v * L < cols; v++) {
                        int vCols = Math.min(L, cols - v * L);
                        kernel4x1(kc, pa, aBase, pb, bBase + v * L, width, c, ci + v * L, ldc, accumulate,
                                rows, vCols, tile);
                    }
                }
            }
        }
    }

    /**
     * The main micro-kernel: a 4 x (4 vectors) tile of C. Reads the A strip at
     * {@code pa[ai + r*kc + p]} and the B panel at {@code pb[bi + p*NR + j]}. Writes
     * {@code rows x cols} elements of C at {@code ci}; {@code tile} is scratch for edge tiles.
     */
    static void kernel4x4(int kc, float[] pa, int ai, float[] pb, int bi,
                          float[] c, int ci, int ldc, boolean accumulate, int rows, int cols,
                          float[] tile) {
        if (rows == MR && cols == NR) {
            tile4x4(kc, pa, ai, pb, bi, accumulate ? c : ZERO, accumulate ? ci : 0, accumulate ? ldc : 0, c, ci, ldc);
        } else {
            if (accumulate) {
                loadTile(c, ci, ldc, rows, cols, tile, NR, MR);
            }
            tile4x4(kc, pa, ai, pb, bi, accumulate ? tile : ZERO, 0, accumulate ? NR : 0, tile, 0, NR);
            storeTile(tile, NR, rows, cols, c, ci, ldc);
        }
    }

    /**
     * Edge kernel for the last columns: a 4 x (1 vector) tile. Reads the A strip at
     * {@code pa[ai + r*kc + p]} and one vector of a B panel of the given width at
     * {@code pb[bi + p*width]}. Writes {@code rows x cols} elements of C at {@code ci}.
     */
    static void kernel4x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                          float[] c, int ci, int ldc, boolean accumulate, int rows, int cols,
                          float[] tile) {
        if (rows == MR && cols == L) {
            tile4x1(kc, pa, ai, pb, bi, width, accumulate ? c : ZERO, accumulate ? ci : 0, accumulate ? ldc : 0,
                    c, ci, ldc);
        } else {
            if (accumulate) {
                loadTile(c, ci, ldc, rows, cols, tile, L, MR);
            }
            tile4x1(kc, pa, ai, pb, bi, width, accumulate ? tile : ZERO, 0, accumulate ? L : 0, tile, 0, L);
            storeTile(tile, L, rows, cols, c, ci, ldc);
        }
    }

    /**
     * The row path of {@link VectorFewRows}: a 1 x (4 vectors) tile. Reads a row of op(A) at {@code pa[ai + p*aStep]} and four vectors of
     * B at {@code pb[bi + p*bStride + j]}. Writes {@code cols} elements of one row of C at
     * {@code ci}.
     */
    static void kernel1x4(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                          float[] c, int ci, boolean accumulate, int cols, float[] tile) {
        if (cols == NR) {
            tile1x4(kc, pa, ai, aStep, pb, bi, bStride, accumulate ? c : ZERO, accumulate ? ci : 0, c, ci);
        } else {
            if (accumulate) {
                loadTile(c, ci, 0, 1, cols, tile, NR, 1);
            }
            tile1x4(kc, pa, ai, aStep, pb, bi, bStride, accumulate ? tile : ZERO, 0, tile, 0);
            storeTile(tile, NR, 1, cols, c, ci, 0);
        }
    }

    /**
     * Corner kernel: a 1 x (1 vector) tile. Reads {@code pa[ai + p*aStep]} and
     * {@code pb[bi + p*bStride]}. Writes {@code cols} elements of one row of C at {@code ci}.
     */
    static void kernel1x1(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                          float[] c, int ci, boolean accumulate, int cols, float[] tile) {
        if (cols == L) {
            tile1x1(kc, pa, ai, aStep, pb, bi, bStride, accumulate ? c : ZERO, accumulate ? ci : 0, c, ci);
        } else {
            if (accumulate) {
                loadTile(c, ci, 0, 1, cols, tile, L, 1);
            }
            tile1x1(kc, pa, ai, aStep, pb, bi, bStride, accumulate ? tile : ZERO, 0, tile, 0);
            storeTile(tile, L, 1, cols, c, ci, 0);
        }
    }

    /*
     * The tiles proper: straight-line code without a branch, the accumulators loaded from
     * (src, si, row stride ss) and stored to (dst, di, row stride ds). Starting from zero is
     * loading the ZERO row with stride 0. One path only, because C2 stops inlining the Vector
     * API's methods past a node budget, and every vector operation left out is run by its Java
     * fallback, allocating; a tile with branches for the edge cases goes past that budget once
     * the training loop makes every branch hot.
     */

    /** 4 x (4 vectors): 16 accumulators; see {@link #kernel4x4}. */
    private static void tile4x4(int kc, float[] pa, int ai, float[] pb, int bi,
                                float[] src, int si, int ss, float[] dst, int di, int ds) {
        FloatVector c00 = FloatVector.fromArray(S, src, si);
        FloatVector c01 = FloatVector.fromArray(S, src, si + L);
        FloatVector c02 = FloatVector.fromArray(S, src, si + 2 * L);
        FloatVector c03 = FloatVector.fromArray(S, src, si + 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, src, si + ss);
        FloatVector c11 = FloatVector.fromArray(S, src, si + ss + L);
        FloatVector c12 = FloatVector.fromArray(S, src, si + ss + 2 * L);
        FloatVector c13 = FloatVector.fromArray(S, src, si + ss + 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, src, si + 2 * ss);
        FloatVector c21 = FloatVector.fromArray(S, src, si + 2 * ss + L);
        FloatVector c22 = FloatVector.fromArray(S, src, si + 2 * ss + 2 * L);
        FloatVector c23 = FloatVector.fromArray(S, src, si + 2 * ss + 3 * L);
        FloatVector c30 = FloatVector.fromArray(S, src, si + 3 * ss);
        FloatVector c31 = FloatVector.fromArray(S, src, si + 3 * ss + L);
        FloatVector c32 = FloatVector.fromArray(S, src, si + 3 * ss + 2 * L);
        FloatVector c33 = FloatVector.fromArray(S, src, si + 3 * ss + 3 * L);
        int ai1 = ai + kc;
        int ai2 = ai1 + kc;
        int ai3 = ai2 + kc;
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;      // every index linear in p, so C2 hoists the range checks
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, pb, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, pb, bp + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ai2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ai3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        c00.intoArray(dst, di);
        c01.intoArray(dst, di + L);
        c02.intoArray(dst, di + 2 * L);
        c03.intoArray(dst, di + 3 * L);
        c10.intoArray(dst, di + ds);
        c11.intoArray(dst, di + ds + L);
        c12.intoArray(dst, di + ds + 2 * L);
        c13.intoArray(dst, di + ds + 3 * L);
        c20.intoArray(dst, di + 2 * ds);
        c21.intoArray(dst, di + 2 * ds + L);
        c22.intoArray(dst, di + 2 * ds + 2 * L);
        c23.intoArray(dst, di + 2 * ds + 3 * L);
        c30.intoArray(dst, di + 3 * ds);
        c31.intoArray(dst, di + 3 * ds + L);
        c32.intoArray(dst, di + 3 * ds + 2 * L);
        c33.intoArray(dst, di + 3 * ds + 3 * L);
    }

    /**
     * 4 x (1 vector); see {@link #kernel4x1}. The k loop is unrolled twice (the chain of each
     * accumulator unchanged): four accumulators leave the FMA units half idle otherwise, and the
     * method grows past the 325 bytecodes above which C2 never inlines it into a hot caller
     * (FreqInlineSize), so it is always compiled on its own, within C2's node budget.
     */
    private static void tile4x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                                float[] src, int si, int ss, float[] dst, int di, int ds) {
        FloatVector c0 = FloatVector.fromArray(S, src, si);
        FloatVector c1 = FloatVector.fromArray(S, src, si + ss);
        FloatVector c2 = FloatVector.fromArray(S, src, si + 2 * ss);
        FloatVector c3 = FloatVector.fromArray(S, src, si + 3 * ss);
        int ai1 = ai + kc;
        int ai2 = ai1 + kc;
        int ai3 = ai2 + kc;
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai3 + p]).fma(bv, c3);
            FloatVector bw = FloatVector.fromArray(S, pb, bi + (p + 1) * width);
            c0 = FloatVector.broadcast(S, pa[ai + p + 1]).fma(bw, c0);
            c1 = FloatVector.broadcast(S, pa[ai1 + p + 1]).fma(bw, c1);
            c2 = FloatVector.broadcast(S, pa[ai2 + p + 1]).fma(bw, c2);
            c3 = FloatVector.broadcast(S, pa[ai3 + p + 1]).fma(bw, c3);
        }
        if (p < kc) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai3 + p]).fma(bv, c3);
        }
        c0.intoArray(dst, di);
        c1.intoArray(dst, di + ds);
        c2.intoArray(dst, di + 2 * ds);
        c3.intoArray(dst, di + 3 * ds);
    }

    /**
     * 1 x (4 vectors); see {@link #kernel1x4}. Unrolled twice like {@link #tile4x1}, for the same
     * two reasons.
     */
    private static void tile1x4(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                                float[] src, int si, float[] dst, int di) {
        FloatVector c0 = FloatVector.fromArray(S, src, si);
        FloatVector c1 = FloatVector.fromArray(S, src, si + L);
        FloatVector c2 = FloatVector.fromArray(S, src, si + 2 * L);
        FloatVector c3 = FloatVector.fromArray(S, src, si + 3 * L);
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector av = FloatVector.broadcast(S, pa[ai + p * aStep]);
            int bp = bi + p * bStride;
            c0 = av.fma(FloatVector.fromArray(S, pb, bp), c0);
            c1 = av.fma(FloatVector.fromArray(S, pb, bp + L), c1);
            c2 = av.fma(FloatVector.fromArray(S, pb, bp + 2 * L), c2);
            c3 = av.fma(FloatVector.fromArray(S, pb, bp + 3 * L), c3);
            FloatVector aw = FloatVector.broadcast(S, pa[ai + (p + 1) * aStep]);
            int bq = bp + bStride;
            c0 = aw.fma(FloatVector.fromArray(S, pb, bq), c0);
            c1 = aw.fma(FloatVector.fromArray(S, pb, bq + L), c1);
            c2 = aw.fma(FloatVector.fromArray(S, pb, bq + 2 * L), c2);
            c3 = aw.fma(FloatVector.fromArray(S, pb, bq + 3 * L), c3);
        }
        if (p < kc) {
            FloatVector av = FloatVector.broadcast(S, pa[ai + p * aStep]);
            int bp = bi + p * bStride;
            c0 = av.fma(FloatVector.fromArray(S, pb, bp), c0);
            c1 = av.fma(FloatVector.fromArray(S, pb, bp + L), c1);
            c2 = av.fma(FloatVector.fromArray(S, pb, bp + 2 * L), c2);
            c3 = av.fma(FloatVector.fromArray(S, pb, bp + 3 * L), c3);
        }
        c0.intoArray(dst, di);
        c1.intoArray(dst, di + L);
        c2.intoArray(dst, di + 2 * L);
        c3.intoArray(dst, di + 3 * L);
    }

    /** 1 x (1 vector); see {@link #kernel1x1}. */
    private static void tile1x1(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                                float[] src, int si, float[] dst, int di) {
        FloatVector acc = FloatVector.fromArray(S, src, si);
        for (int p = 0; p < kc; p++) {
            acc = FloatVector.broadcast(S, pa[ai + p * aStep]).fma(FloatVector.fromArray(S, pb, bi + p * bStride), acc);
        }
        acc.intoArray(dst, di);
    }

    /**
     * Copies the {@code rows x cols} block of C at {@code ci} into the top-left corner of a
     * {@code tileRows x tileStride} tile and zeroes the rest of it. Modifies only {@code tile}.
     */
    private static void loadTile(float[] c, int ci, int ldc, int rows, int cols,
                                 float[] tile, int tileStride, int tileRows) {
        for (int r = 0; r < rows; r++) {
            int t = r * tileStride;
            System.arraycopy(c, ci + r * ldc, tile, t, cols);
            Arrays.fill(tile, t + cols, t + tileStride, 0f);
        }
        Arrays.fill(tile, rows * tileStride, tileRows * tileStride, 0f);
    }

    /**
     * Copies the top-left {@code rows x cols} corner of a tile (row stride {@code tileStride})
     * over C at {@code ci}. Modifies only {@code c}.
     */
    private static void storeTile(float[] tile, int tileStride, int rows, int cols,
                                  float[] c, int ci, int ldc) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * tileStride, c, ci + r * ldc, cols);
        }
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
