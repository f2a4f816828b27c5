package io.github.lstm4j.tensor;


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
    /** Rows of C per main micro-tile (a tall strip of A). */
    static final int MR = 6;
    /** Rows of C per short micro-tile, which the last strips of a block take (see {@link #tallStrips}). */
    static final int MR_SHORT = 4;
    /** Vectors of C per micro-tile row. */
    static final int NV = 4;
    /** Columns of C per micro-tile. */
    static final int NR = NV * L;
    /**
     * Row stride of a packed block of A: row i of the block starts at {@code pa[i * KC]}, whatever
     * the depth of the k block. A constant stride lets a tile address its rows as one index plus
     * constant offsets, which leaves C2 one integer register and one add per row fewer in the k loop.
     */
    static final int KC = VectorKernels.KC;
    /** A row of zeros that the tiles read (with row stride 0) to start from zero. Never written. */
    private static final float[] ZERO = new float[NR];

    private VectorMicroKernels() {
    }

    /**
     * How many strips of {@link #MR} rows a block of {@code mc} rows is cut into; the rows after
     * them go in strips of {@link #MR_SHORT}. Chosen so that as few padded rows are computed as
     * possible (none for an even {@code mc} of 4 or more, one for an odd one, 32 = 4 x 6 + 2 x 4):
     * the tall tile is the faster one (10 loads per 24 fused multiply-adds against 8 per 16), but
     * a padded row costs a whole row of the tile.
     */
    static int tallStrips(int mc) {
        int rest = mc % MR;
        int shortStrips = switch (rest) {
            case 0, 5 -> 0;
            case 1, 2 -> mc > MR ? 2 : 1;
            default -> 1;
        };
        return Math.max(0, ceilDiv(mc - shortStrips * MR_SHORT, MR));
    }

    /** Rows of a packed block of {@code mc} rows of A, its padded rows (zeros) included. */
    static int packedRows(int mc) {
        int tall = tallStrips(mc);
        return tall * MR + roundUp(Math.max(0, mc - tall * MR), MR_SHORT);
    }

    /**
     * Runs the micro-kernels over one packed block: C[0..mc, 0..nc] = A * B, plus the old C when
     * {@code accumulate}. Row i of A is {@code kc} floats at {@code pa[i * KC]}, cut into
     * {@link #tallStrips} strips of MR rows and then strips of MR_SHORT (rows past mc are zeros);
     * B panels are {@code kc} rows of NR (the last rounded up to a multiple of L) at
     * {@code pb[pbOff + j0 * kc]}. When {@code init} is not null (and not {@code accumulate}),
     * every row of C starts from the row {@code init[initOff .. initOff + nc)} instead of zero: C =
     * init + A * B, the accumulators loaded from it as they would be from C. Modifies {@code c} and
     * {@code tile}.
     */
    static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb, int pbOff,
                            float[] c, int cBase, int ldc, boolean accumulate, float[] init, int initOff, float[] tile) {
        macroKernel(mc, nc, kc, pa, pb, pbOff, null, 0, 0, c, cBase, ldc, accumulate, init, initOff, tile);
    }

    /**
     * {@link #macroKernel}, packing B on the way when {@code b} is not null: B is then stored
     * unpacked ({@code kc} rows {@code ldb} apart from {@code b[bOff]}), its full panels are not
     * packed yet (the first strip packs each, see {@link #kernelPanel}; there must be one, of MR
     * rows) and its last, partial panel is.
     */
    static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb, int pbOff, float[] b, int bOff, int ldb,
                            float[] c, int cBase, int ldc, boolean accumulate, float[] init, int initOff,
                            float[] tile) {
        int tallRows = tallStrips(mc) * MR;
        int packedRows = packedRows(mc);
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = roundUp(cols, L);      // panel width as packed
            int bBase = pbOff + j0 * kc;
            // the first strip packs a full panel of an unpacked B (it is MR rows high: see above)
            boolean packing = b != null && cols == NR;
            for (int i0 = 0; i0 < mc; ) {
                int height = i0 < tallRows ? MR : MR_SHORT;
                int rows = Math.min(height, mc - i0);
                int aBase = i0 * KC;
                int ci = cBase + i0 * ldc + j0;
                // a last strip of fewer rows takes the same kernels (its padded rows of A are
                // zeros and are not stored): fewer kernels in one compiled method
                if (width == NR) {
                    kernelPanel(height, kc, pa, aBase, pb, bBase, packing && i0 == 0 ? b : null, bOff + j0, ldb,
                            c, ci, ldc, accumulate, init, initOff + j0, rows, cols, tile);
                } else {
                    // a narrow panel takes two strips of the same height at once where there are
                    // two (their rows follow each other in the packed block, padded rows included)
                    if (i0 + 2 * height <= (height == MR ? tallRows : packedRows)) {
                        height *= 2;
                        rows = Math.min(height, mc - i0);
                    }
                    for (int v = 0; v * L < cols; v++) {
                        int vCols = Math.min(L, cols - v * L);
                        kernelVector(height, kc, pa, aBase, pb, bBase + v * L, width, c, ci + v * L, ldc,
                                accumulate, init, initOff + j0 + v * L, rows, vCols, tile);
                    }
                }
                i0 += height;
            }
        }
    }

    /**
     * The main micro-kernel: a {@code height} x (4 vectors) tile of C, {@code height} being MR or
     * MR_SHORT. Reads the A strip at {@code pa[ai + r*KC + p]} and the B panel at
     * {@code pb[bi + p*NR + j]}. Writes {@code rows x cols} elements of C at {@code ci};
     * {@code tile} is scratch for edge tiles.
     *
     * <p>When {@code b} is not null (a full panel, {@code height} MR), the panel is not packed yet:
     * its {@code kc} rows of NR floats, {@code ldb} apart from {@code b[bSrc]}, are read from B as
     * stored and copied to {@code pb[bi]} (as {@link VectorPacking#packB} would) while the tile is
     * computed, so that B is read from memory once and its copy costs only the stores; the
     * block's later strips read the packed copy.
     */
    static void kernelPanel(int height, int kc, float[] pa, int ai, float[] pb, int bi,
                            float[] b, int bSrc, int ldb,
                            float[] c, int ci, int ldc, boolean accumulate, float[] init, int ii, int rows, int cols,
                            float[] tile) {
        boolean whole = rows == height && cols == NR;
        // the accumulators start from C, from the init row (stride 0), or from zero
        boolean loads = accumulate || init != null;
        if (!whole && loads) {
            loadTile(accumulate ? c : init, accumulate ? ci : ii, accumulate ? ldc : 0, rows, cols, tile, NR);
        }
        float[] src = !loads ? ZERO : !whole ? tile : accumulate ? c : init;
        int si = !loads || !whole ? 0 : accumulate ? ci : ii;
        int ss = !loads ? 0 : !whole ? NR : accumulate ? ldc : 0;
        float[] dst = whole ? c : tile;
        int di = whole ? ci : 0;
        int ds = whole ? ldc : NR;
        if (b != null) {
            tile6x4Packing(kc, pa, ai, b, bSrc, ldb, pb, bi, src, si, ss, dst, di, ds);
        } else if (height == MR) {
            tile6x4(kc, pa, ai, pb, bi, src, si, ss, dst, di, ds);
        } else {
            tile4x4(kc, pa, ai, pb, bi, src, si, ss, dst, di, ds);
        }
        if (!whole) {
            storeTile(tile, NR, rows, cols, c, ci, ldc);
        }
    }

    /**
     * Edge kernel for the last columns: a {@code height} x (1 vector) tile, {@code height} being
     * MR or MR_SHORT, or twice either for two strips at once. Reads the A strip at
     * {@code pa[ai + r*KC + p]} and one vector of a B panel of the given width at
     * {@code pb[bi + p*width]}. Writes {@code rows x cols} elements of C at {@code ci}.
     */
    static void kernelVector(int height, int kc, float[] pa, int ai, float[] pb, int bi, int width,
                             float[] c, int ci, int ldc, boolean accumulate, float[] init, int ii, int rows, int cols,
                             float[] tile) {
        boolean whole = rows == height && cols == L;
        boolean loads = accumulate || init != null;
        if (!whole && loads) {
            loadTile(accumulate ? c : init, accumulate ? ci : ii, accumulate ? ldc : 0, rows, cols, tile, L);
        }
        float[] src = !loads ? ZERO : !whole ? tile : accumulate ? c : init;
        int si = !loads || !whole ? 0 : accumulate ? ci : ii;
        int ss = !loads ? 0 : !whole ? L : accumulate ? ldc : 0;
        float[] dst = whole ? c : tile;
        int di = whole ? ci : 0;
        int ds = whole ? ldc : L;
        if (height == 2 * MR) {
            tile12x1(kc, pa, ai, pb, bi, width, src, si, ss, dst, di, ds);
        } else if (height == 2 * MR_SHORT) {
            tile8x1(kc, pa, ai, pb, bi, width, src, si, ss, dst, di, ds);
        } else if (height == MR) {
            tile6x1(kc, pa, ai, pb, bi, width, src, si, ss, dst, di, ds);
        } else {
            tile4x1(kc, pa, ai, pb, bi, width, src, si, ss, dst, di, ds);
        }
        if (!whole) {
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
                loadTile(c, ci, 0, 1, cols, tile, NR);
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
                loadTile(c, ci, 0, 1, cols, tile, L);
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

    /**
     * {@link #tile6x4} reading its B panel from B as stored ({@code kc} rows of NR floats,
     * {@code ldb} apart, from {@code b[bi]}) and copying it into the packed panel at
     * {@code pb[pi]} on the way; see {@link #kernelPanel}.
     */
    private static void tile6x4Packing(int kc, float[] pa, int ai, float[] b, int bi, int ldb, float[] pb, int pi,
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
        FloatVector c40 = FloatVector.fromArray(S, src, si + 4 * ss);
        FloatVector c41 = FloatVector.fromArray(S, src, si + 4 * ss + L);
        FloatVector c42 = FloatVector.fromArray(S, src, si + 4 * ss + 2 * L);
        FloatVector c43 = FloatVector.fromArray(S, src, si + 4 * ss + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, src, si + 5 * ss);
        FloatVector c51 = FloatVector.fromArray(S, src, si + 5 * ss + L);
        FloatVector c52 = FloatVector.fromArray(S, src, si + 5 * ss + 2 * L);
        FloatVector c53 = FloatVector.fromArray(S, src, si + 5 * ss + 3 * L);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * ldb;
            int pp = pi + p * NR;
            int ap = ai + p;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            b0.intoArray(pb, pp);
            b1.intoArray(pb, pp + L);
            b2.intoArray(pb, pp + 2 * L);
            b3.intoArray(pb, pp + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + KC]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2 * KC]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3 * KC]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, pa[ap + 4 * KC]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, pa[ap + 5 * KC]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            c53 = a5.fma(b3, c53);
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
        c40.intoArray(dst, di + 4 * ds);
        c41.intoArray(dst, di + 4 * ds + L);
        c42.intoArray(dst, di + 4 * ds + 2 * L);
        c43.intoArray(dst, di + 4 * ds + 3 * L);
        c50.intoArray(dst, di + 5 * ds);
        c51.intoArray(dst, di + 5 * ds + L);
        c52.intoArray(dst, di + 5 * ds + 2 * L);
        c53.intoArray(dst, di + 5 * ds + 3 * L);
    }

    /** 6 x (4 vectors): 24 accumulators; see {@link #kernelPanel}. */
    private static void tile6x4(int kc, float[] pa, int ai, float[] pb, int bi,
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
        FloatVector c40 = FloatVector.fromArray(S, src, si + 4 * ss);
        FloatVector c41 = FloatVector.fromArray(S, src, si + 4 * ss + L);
        FloatVector c42 = FloatVector.fromArray(S, src, si + 4 * ss + 2 * L);
        FloatVector c43 = FloatVector.fromArray(S, src, si + 4 * ss + 3 * L);
        FloatVector c50 = FloatVector.fromArray(S, src, si + 5 * ss);
        FloatVector c51 = FloatVector.fromArray(S, src, si + 5 * ss + L);
        FloatVector c52 = FloatVector.fromArray(S, src, si + 5 * ss + 2 * L);
        FloatVector c53 = FloatVector.fromArray(S, src, si + 5 * ss + 3 * L);
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;      // every index linear in p, so C2 hoists the range checks
            int ap = ai + p;           // row r of the strip at ap + r * KC: one index for all rows
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, pb, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, pb, bp + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + KC]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2 * KC]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3 * KC]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, pa[ap + 4 * KC]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, pa[ap + 5 * KC]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            c53 = a5.fma(b3, c53);
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
        c40.intoArray(dst, di + 4 * ds);
        c41.intoArray(dst, di + 4 * ds + L);
        c42.intoArray(dst, di + 4 * ds + 2 * L);
        c43.intoArray(dst, di + 4 * ds + 3 * L);
        c50.intoArray(dst, di + 5 * ds);
        c51.intoArray(dst, di + 5 * ds + L);
        c52.intoArray(dst, di + 5 * ds + 2 * L);
        c53.intoArray(dst, di + 5 * ds + 3 * L);
    }

    /** 4 x (4 vectors): 16 accumulators; see {@link #kernelPanel}. */
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
        for (int p = 0; p < kc; p++) {
            int bp = bi + p * NR;      // every index linear in p, so C2 hoists the range checks
            int ap = ai + p;           // row r of the strip at ap + r * KC: one index for all rows
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, pb, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, pb, bp + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + KC]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2 * KC]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3 * KC]);
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
     * 6 x (1 vector); see {@link #kernelVector}. The k loop is unrolled twice (the chain of each
     * accumulator unchanged): 6 accumulators leave the FMA units partly idle otherwise.
     */
    private static void tile6x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                                float[] src, int si, int ss, float[] dst, int di, int ds) {
        FloatVector c0 = FloatVector.fromArray(S, src, si);
        FloatVector c1 = FloatVector.fromArray(S, src, si + ss);
        FloatVector c2 = FloatVector.fromArray(S, src, si + 2 * ss);
        FloatVector c3 = FloatVector.fromArray(S, src, si + 3 * ss);
        FloatVector c4 = FloatVector.fromArray(S, src, si + 4 * ss);
        FloatVector c5 = FloatVector.fromArray(S, src, si + 5 * ss);
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
            FloatVector bw = FloatVector.fromArray(S, pb, bi + (p + 1) * width);
            c0 = FloatVector.broadcast(S, pa[ai + (p + 1)]).fma(bw, c0);
            c1 = FloatVector.broadcast(S, pa[ai + (p + 1) + KC]).fma(bw, c1);
            c2 = FloatVector.broadcast(S, pa[ai + (p + 1) + 2 * KC]).fma(bw, c2);
            c3 = FloatVector.broadcast(S, pa[ai + (p + 1) + 3 * KC]).fma(bw, c3);
            c4 = FloatVector.broadcast(S, pa[ai + (p + 1) + 4 * KC]).fma(bw, c4);
            c5 = FloatVector.broadcast(S, pa[ai + (p + 1) + 5 * KC]).fma(bw, c5);
        }
        if (p < kc) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
        }
        c0.intoArray(dst, di);
        c1.intoArray(dst, di + ds);
        c2.intoArray(dst, di + 2 * ds);
        c3.intoArray(dst, di + 3 * ds);
        c4.intoArray(dst, di + 4 * ds);
        c5.intoArray(dst, di + 5 * ds);
    }

    /**
     * 12 x (1 vector): two strips of a narrow panel at once (12 independent chains of fused
     * multiply-adds, where one strip's 6 leave the FMA units waiting on their latency); see
     * {@link #kernelVector}. Unrolled twice like {@link #tile4x1}.
     */
    private static void tile12x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                                 float[] src, int si, int ss, float[] dst, int di, int ds) {
        FloatVector c0 = FloatVector.fromArray(S, src, si);
        FloatVector c1 = FloatVector.fromArray(S, src, si + ss);
        FloatVector c2 = FloatVector.fromArray(S, src, si + 2 * ss);
        FloatVector c3 = FloatVector.fromArray(S, src, si + 3 * ss);
        FloatVector c4 = FloatVector.fromArray(S, src, si + 4 * ss);
        FloatVector c5 = FloatVector.fromArray(S, src, si + 5 * ss);
        FloatVector c6 = FloatVector.fromArray(S, src, si + 6 * ss);
        FloatVector c7 = FloatVector.fromArray(S, src, si + 7 * ss);
        FloatVector c8 = FloatVector.fromArray(S, src, si + 8 * ss);
        FloatVector c9 = FloatVector.fromArray(S, src, si + 9 * ss);
        FloatVector c10 = FloatVector.fromArray(S, src, si + 10 * ss);
        FloatVector c11 = FloatVector.fromArray(S, src, si + 11 * ss);
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, pa[ai + p + 6 * KC]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, pa[ai + p + 7 * KC]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, pa[ai + p + 8 * KC]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, pa[ai + p + 9 * KC]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, pa[ai + p + 10 * KC]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, pa[ai + p + 11 * KC]).fma(bv, c11);
            FloatVector bw = FloatVector.fromArray(S, pb, bi + (p + 1) * width);
            c0 = FloatVector.broadcast(S, pa[ai + (p + 1)]).fma(bw, c0);
            c1 = FloatVector.broadcast(S, pa[ai + (p + 1) + KC]).fma(bw, c1);
            c2 = FloatVector.broadcast(S, pa[ai + (p + 1) + 2 * KC]).fma(bw, c2);
            c3 = FloatVector.broadcast(S, pa[ai + (p + 1) + 3 * KC]).fma(bw, c3);
            c4 = FloatVector.broadcast(S, pa[ai + (p + 1) + 4 * KC]).fma(bw, c4);
            c5 = FloatVector.broadcast(S, pa[ai + (p + 1) + 5 * KC]).fma(bw, c5);
            c6 = FloatVector.broadcast(S, pa[ai + (p + 1) + 6 * KC]).fma(bw, c6);
            c7 = FloatVector.broadcast(S, pa[ai + (p + 1) + 7 * KC]).fma(bw, c7);
            c8 = FloatVector.broadcast(S, pa[ai + (p + 1) + 8 * KC]).fma(bw, c8);
            c9 = FloatVector.broadcast(S, pa[ai + (p + 1) + 9 * KC]).fma(bw, c9);
            c10 = FloatVector.broadcast(S, pa[ai + (p + 1) + 10 * KC]).fma(bw, c10);
            c11 = FloatVector.broadcast(S, pa[ai + (p + 1) + 11 * KC]).fma(bw, c11);
        }
        if (p < kc) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, pa[ai + p + 6 * KC]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, pa[ai + p + 7 * KC]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, pa[ai + p + 8 * KC]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, pa[ai + p + 9 * KC]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, pa[ai + p + 10 * KC]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, pa[ai + p + 11 * KC]).fma(bv, c11);
        }
        c0.intoArray(dst, di);
        c1.intoArray(dst, di + ds);
        c2.intoArray(dst, di + 2 * ds);
        c3.intoArray(dst, di + 3 * ds);
        c4.intoArray(dst, di + 4 * ds);
        c5.intoArray(dst, di + 5 * ds);
        c6.intoArray(dst, di + 6 * ds);
        c7.intoArray(dst, di + 7 * ds);
        c8.intoArray(dst, di + 8 * ds);
        c9.intoArray(dst, di + 9 * ds);
        c10.intoArray(dst, di + 10 * ds);
        c11.intoArray(dst, di + 11 * ds);
    }

    /**
     * 8 x (1 vector): two strips of a narrow panel at once (8 independent chains of fused
     * multiply-adds, where one strip's 4 leave the FMA units waiting on their latency); see
     * {@link #kernelVector}. Unrolled twice like {@link #tile4x1}.
     */
    private static void tile8x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                                 float[] src, int si, int ss, float[] dst, int di, int ds) {
        FloatVector c0 = FloatVector.fromArray(S, src, si);
        FloatVector c1 = FloatVector.fromArray(S, src, si + ss);
        FloatVector c2 = FloatVector.fromArray(S, src, si + 2 * ss);
        FloatVector c3 = FloatVector.fromArray(S, src, si + 3 * ss);
        FloatVector c4 = FloatVector.fromArray(S, src, si + 4 * ss);
        FloatVector c5 = FloatVector.fromArray(S, src, si + 5 * ss);
        FloatVector c6 = FloatVector.fromArray(S, src, si + 6 * ss);
        FloatVector c7 = FloatVector.fromArray(S, src, si + 7 * ss);
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, pa[ai + p + 6 * KC]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, pa[ai + p + 7 * KC]).fma(bv, c7);
            FloatVector bw = FloatVector.fromArray(S, pb, bi + (p + 1) * width);
            c0 = FloatVector.broadcast(S, pa[ai + (p + 1)]).fma(bw, c0);
            c1 = FloatVector.broadcast(S, pa[ai + (p + 1) + KC]).fma(bw, c1);
            c2 = FloatVector.broadcast(S, pa[ai + (p + 1) + 2 * KC]).fma(bw, c2);
            c3 = FloatVector.broadcast(S, pa[ai + (p + 1) + 3 * KC]).fma(bw, c3);
            c4 = FloatVector.broadcast(S, pa[ai + (p + 1) + 4 * KC]).fma(bw, c4);
            c5 = FloatVector.broadcast(S, pa[ai + (p + 1) + 5 * KC]).fma(bw, c5);
            c6 = FloatVector.broadcast(S, pa[ai + (p + 1) + 6 * KC]).fma(bw, c6);
            c7 = FloatVector.broadcast(S, pa[ai + (p + 1) + 7 * KC]).fma(bw, c7);
        }
        if (p < kc) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, pa[ai + p + 4 * KC]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, pa[ai + p + 5 * KC]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, pa[ai + p + 6 * KC]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, pa[ai + p + 7 * KC]).fma(bv, c7);
        }
        c0.intoArray(dst, di);
        c1.intoArray(dst, di + ds);
        c2.intoArray(dst, di + 2 * ds);
        c3.intoArray(dst, di + 3 * ds);
        c4.intoArray(dst, di + 4 * ds);
        c5.intoArray(dst, di + 5 * ds);
        c6.intoArray(dst, di + 6 * ds);
        c7.intoArray(dst, di + 7 * ds);
    }

    /**
     * 4 x (1 vector); see {@link #kernelVector}. The k loop is unrolled twice (the chain of each
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
        int p = 0;
        for (; p + 1 < kc; p += 2) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
            FloatVector bw = FloatVector.fromArray(S, pb, bi + (p + 1) * width);
            c0 = FloatVector.broadcast(S, pa[ai + (p + 1)]).fma(bw, c0);
            c1 = FloatVector.broadcast(S, pa[ai + (p + 1) + KC]).fma(bw, c1);
            c2 = FloatVector.broadcast(S, pa[ai + (p + 1) + 2 * KC]).fma(bw, c2);
            c3 = FloatVector.broadcast(S, pa[ai + (p + 1) + 3 * KC]).fma(bw, c3);
        }
        if (p < kc) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi + p * width);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai + p + KC]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai + p + 2 * KC]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai + p + 3 * KC]).fma(bv, c3);
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
     * Copies the {@code rows x cols} block of C at {@code ci} into the top-left corner of a tile
     * of row stride {@code tileStride}. The rest of the tile keeps whatever an earlier tile left
     * there: each lane of a tile is a chain of its own, and the lanes outside the corner are
     * computed but never stored (zeroing them cost a twentieth of a tutorial-sized training step).
     * Modifies only {@code tile}.
     */
    private static void loadTile(float[] c, int ci, int ldc, int rows, int cols, float[] tile, int tileStride) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c, ci + r * ldc, tile, r * tileStride, cols);
        }
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

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
