package io.github.lstm4j.tensor;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM provider built on the incubating Vector API ({@code jdk.incubator.vector}), with
 * {@link FloatVector#SPECIES_PREFERRED} lanes (16 on AVX-512, 8 on AVX2).
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is in the boot
 * layer; {@link Kernels} loads it reflectively so that the library runs without the module.
 *
 * <h2>Design</h2>
 * The classic packed, register-tiled scheme (Goto/BLIS), single-threaded:
 * <pre>
 * for jc in n step NC                       // columns of C
 *   for pc in k step KC                     // k block
 *     pack op(B)[pc:pc+kc, jc:jc+nc] into panels NR wide, row after row (k-major)
 *     for ic in m step MC                   // rows of C
 *       pack op(A)[ic:ic+mc, pc:pc+kc] row after row (strips of MR rows, zero-padded)
 *       for each B panel (NR columns)       // the panel (kc x NR floats) stays in L1
 *         for each A strip (MR rows)
 *           micro-kernel: MR x NR tile of C in MR*NV registers, one fma per
 *                         (row, vector) per k step, reading both panels sequentially
 * </pre>
 * Packing turns all four transpose cases into the same sequential access pattern, so the
 * micro-kernel never strides. Packed panels are zero-padded: the last A strip to MR rows and the
 * last B panel to a multiple of the vector length, so no kernel needs a mask. Edge tiles are
 * handled by narrower kernels (one vector wide for the last columns, one row tall when only one
 * or two rows remain) and written back through a small scalar loop, so only the
 * {@code m x n} elements of C are ever written. A beta other than 0 or 1 is applied to C up front;
 * then the first k block overwrites C (beta 0) or adds to it (beta 1), and later blocks add.
 *
 * <p>Two shapes skip the packing, which would cost as much as the product when C has only a few
 * rows (a small batch times a weight matrix): with B stored transposed ({@code n x k}, as
 * PyTorch stores weights) and few rows, every element of C is a dot product of two contiguous
 * rows ({@link #useDot}); with B stored as is and one or two rows, B is streamed in place by a
 * one-row kernel.
 *
 * <p>Packing buffers are kept per thread and reused, so a call allocates nothing once the thread
 * has seen its largest block. Instances are stateless and thread-safe.
 *
 * <p>Arguments are not validated here; call through {@link Kernels#gemm} for checked access.
 */
public final class VectorKernels implements KernelProvider {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    private static final int L = S.length();
    /** Rows of C per micro-tile. */
    static final int MR = 4;
    /** Vectors of C per micro-tile row. */
    static final int NV = 4;
    /** Columns of C per micro-tile. */
    static final int NR = NV * L;
    /** Depth of a k block: a packed B panel (KC x NR floats) should fit in L1. */
    static final int KC = 128;
    /** Rows of op(A) packed at once: the packed A block (MC x KC) should fit in L2. */
    static final int MC = 384;
    /** Columns of op(B) packed at once: the packed B block (KC x NC) should fit in L2. */
    static final int NC = 2048;
    /** Rows of C up to which B stored as is is read in place; see {@link #gemmRows}. */
    static final int ROWS_MAX_M = 2;
    /** Rows of C above which transposed B is always packed; see {@link #useDot}. */
    static final int DOT_MAX_M = 16;
    /** Depth of a k block on the dot-product path. */
    static final int DOT_KC = 1024;

    /**
     * Whether to pack transposed B with gathers: HotSpot compiles FloatVector gathers to one
     * instruction on x86 (AVX2 and AVX-512) but emulates them lane by lane elsewhere in JDK 17.
     */
    private static final boolean GATHER = isX86(System.getProperty("os.arch", ""));

    /** Per-thread packing buffers, grown on demand and bounded by the block sizes. */
    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** Creates the Vector API provider; fails with a {@link LinkageError} without the module. */
    public VectorKernels() {
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code "vector"}
     */
    @Override
    public String name() {
        return "vector";
    }

    /**
     * The number of float lanes in the preferred species on this machine.
     *
     * @return the vector length in floats, e.g. 16 with AVX-512
     */
    public int lanes() {
        return L;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Modifies only {@code c} (and this thread's private packing buffers). Arguments are trusted;
     * see {@link Kernels#gemm} for the checked entry point.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || (beta != 0f && beta != 1f)) {
            // C = beta * C up front; the kernels then only overwrite (beta 0) or accumulate
            PlainKernels.scale(m, n, beta, c, cOff, ldc);
            if (k == 0) {
                return;
            }
        }
        Workspace ws = WORKSPACE.get();
        if (transB && useDot(m, k)) {
            gemmDot(transA, m, n, k, a, aOff, lda, b, bOff, ldb, beta != 0f, c, cOff, ldc, ws);
            return;
        }
        if (!transB && m <= ROWS_MAX_M) {
            gemmRows(transA, m, n, k, a, aOff, lda, b, bOff, ldb, beta != 0f, c, cOff, ldc, ws.tile);
            return;
        }
        int kcMax = Math.min(k, KC);
        float[] pa = ws.a(roundUp(Math.min(m, MC), MR) * kcMax);
        float[] pb = ws.b(roundUp(Math.min(n, NC), L) * kcMax);
        float[] tile = ws.tile;
        int[] rowStarts = transB && GATHER && n >= NR ? ws.rowStarts(ldb) : null;

        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean accumulate = pc > 0 || beta != 0f;
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, rowStarts);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, pa);
                    macroKernel(mc, nc, kc, pa, pb, c, cOff + ic * ldc + jc, ldc, accumulate, tile);
                }
            }
        }
    }

    /**
     * The path for one or two rows times B stored as is ({@code k x n}), as in {@code g W} with a
     * batch of one: each element of B is used at most twice, so packing it would cost as much as
     * the product. B is read in place, a block of {@value #KC} rows by four vectors at a time
     * (kept in L1 while each row of op(A) runs over it); op(A) is read one scalar per k step
     * wherever it is stored. The last {@code n mod L} columns are done by a scalar loop, since a
     * full vector there could run past the end of the array. Modifies {@code c} and {@code tile}.
     */
    private static void gemmRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, boolean accumulateFirst,
                                 float[] c, int cOff, int ldc, float[] tile) {
        int aRowStep = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        int nv = n - n % L;   // columns covered by whole vectors
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean accumulate = pc > 0 || accumulateFirst;
            int aBase = aOff + pc * aStep;
            int bBase = bOff + pc * ldb;
            int j = 0;
            for (; j + NR <= nv; j += NR) {
                for (int i = 0; i < m; i++) {
                    kernel1x4(kc, a, aBase + i * aRowStep, aStep, b, bBase + j, ldb,
                            c, cOff + i * ldc + j, accumulate, NR, tile);
                }
            }
            for (; j < nv; j += L) {
                for (int i = 0; i < m; i++) {
                    kernel1x1(kc, a, aBase + i * aRowStep, aStep, b, bBase + j, ldb,
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
     * Whether B stored transposed is better read in place by dot products ({@link #gemmDot}) than
     * transposed into panels. Transposing costs about {@code k*n} whatever m is, while each dot
     * product pays a fixed horizontal sum on top of its {@code k/L} fmas; measured on AVX-512, the
     * dot products win for one or two rows and for up to 16 rows once k is at least 32 per row.
     */
    static boolean useDot(int m, int k) {
        return m <= 2 || (m <= DOT_MAX_M && k >= 32 * m);
    }

    /**
     * The path for a few rows times B stored transposed ({@code n x k}), as in {@code x W^T} with
     * a small batch: every element of C is a dot product of a row of op(A) with a stored row of
     * B, both contiguous, so B is read in place instead of being transposed into panels (which
     * would cost as much as the product itself). Four rows of B are taken at a time and kept in
     * L1 while each row of op(A) runs over them; op(A) is packed only when A is stored
     * transposed. Modifies {@code c} and this thread's packing buffer.
     */
    private static void gemmDot(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, boolean accumulateFirst,
                                float[] c, int cOff, int ldc, Workspace ws) {
        float[] pa = transA ? ws.a(roundUp(m, MR) * Math.min(k, DOT_KC)) : null;
        for (int pc = 0; pc < k; pc += DOT_KC) {
            int kc = Math.min(DOT_KC, k - pc);
            boolean accumulate = pc > 0 || accumulateFirst;
            // op(A)[i, pc + p] is aa[aBase + i * aStride + p]
            float[] aa;
            int aBase;
            int aStride;
            if (transA) {
                packA(true, a, aOff, lda, 0, m, pc, kc, pa);
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
                            c, cOff + i * ldc + j, ldc, accumulate);
                }
                if (i < m) {
                    dot1x4(kc, aa, aBase + i * aStride, b, bi, ldb, c, cOff + i * ldc + j, accumulate);
                }
            }
            for (; j < n; j++) {
                int bi = bOff + j * ldb + pc;
                for (int i = 0; i < m; i++) {
                    float sum = dot(kc, aa, aBase + i * aStride, b, bi);
                    int ci = cOff + i * ldc + j;
                    c[ci] = accumulate ? c[ci] + sum : sum;
                }
            }
        }
    }

    /**
     * Dot products of two rows of op(A) (at {@code ai} and {@code ai + aStride}) with four stored
     * rows of B (at {@code bi}, stride {@code ldb}), all {@code kc} long: a 2 x 4 block of C at
     * {@code ci}, written or added to. Modifies only {@code c}.
     */
    private static void dot2x4(int kc, float[] a, int ai, int aStride, float[] b, int bi, int ldb,
                               float[] c, int ci, int ldc, boolean accumulate) {
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
        float t00 = s00.reduceLanes(VectorOperators.ADD);
        float t01 = s01.reduceLanes(VectorOperators.ADD);
        float t02 = s02.reduceLanes(VectorOperators.ADD);
        float t03 = s03.reduceLanes(VectorOperators.ADD);
        float t10 = s10.reduceLanes(VectorOperators.ADD);
        float t11 = s11.reduceLanes(VectorOperators.ADD);
        float t12 = s12.reduceLanes(VectorOperators.ADD);
        float t13 = s13.reduceLanes(VectorOperators.ADD);
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
     * (stride {@code ldb}): a 1 x 4 block of C at {@code ci}, written or added to. Modifies only
     * {@code c}.
     */
    private static void dot1x4(int kc, float[] a, int ai, float[] b, int bi, int ldb,
                               float[] c, int ci, boolean accumulate) {
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
        float t0 = s0.reduceLanes(VectorOperators.ADD);
        float t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD);
        float t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; p < kc; p++) {
            float x = a[ai + p];
            t0 = Math.fma(x, b[bi + p], t0);
            t1 = Math.fma(x, b[bi1 + p], t1);
            t2 = Math.fma(x, b[bi2 + p], t2);
            t3 = Math.fma(x, b[bi3 + p], t3);
        }
        put4(c, ci, accumulate, t0, t1, t2, t3);
    }

    /** One dot product of {@code kc} floats at {@code a[ai..]} and {@code b[bi..]}. */
    private static float dot(int kc, float[] a, int ai, float[] b, int bi) {
        FloatVector s = FloatVector.zero(S);
        int kv = S.loopBound(kc);
        int p = 0;
        for (; p < kv; p += L) {
            s = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), s);
        }
        float t = s.reduceLanes(VectorOperators.ADD);
        for (; p < kc; p++) {
            t = Math.fma(a[ai + p], b[bi + p], t);
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

    /**
     * Runs the micro-kernels over one packed block: C[0..mc, 0..nc] = A * B, plus the old C when
     * {@code accumulate}. Modifies {@code c} and {@code tile}.
     */
    private static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb,
                                    float[] c, int cBase, int ldc, boolean accumulate, float[] tile) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = roundUp(cols, L);      // panel width as packed
            int bBase = j0 * kc;
            for (int i0 = 0; i0 < mc; i0 += MR) {
                int rows = Math.min(MR, mc - i0);
                int aBase = i0 * kc;
                int ci = cBase + i0 * ldc + j0;
                if (width == NR) {
                    if (rows > 2) {
                        kernel4x4(kc, pa, aBase, pb, bBase, c, ci, ldc, accumulate, rows, cols, tile);
                    } else {
                        for (int r = 0; r < rows; r++) {
                            kernel1x4(kc, pa, aBase + r * kc, 1, pb, bBase, NR,
                                    c, ci + r * ldc, accumulate, cols, tile);
                        }
                    }
                } else {
                    for (int v = 0; v * L < cols; v++) {
                        int vCols = Math.min(L, cols - v * L);
                        int bi = bBase + v * L;
                        if (rows > 2) {
                            kernel4x1(kc, pa, aBase, pb, bi, width, c, ci + v * L, ldc, accumulate,
                                    rows, vCols, tile);
                        } else {
                            for (int r = 0; r < rows; r++) {
                                kernel1x1(kc, pa, aBase + r * kc, 1, pb, bi, width, c, ci + r * ldc + v * L,
                                        accumulate, vCols, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /*
     * The micro-kernels. Each holds its tile of C in registers. A full tile starts from C itself
     * when accumulating (else from zero) and ends with plain vector stores; an edge tile starts
     * from zero and is written back through storeTile, so no lane outside C is ever touched.
     * The write-back is straight-line code on purpose: a helper called 16 times pushes C2 past
     * its inlining budget, and a vector passed to a method that is not inlined gets boxed.
     */

    /**
     * The main micro-kernel: a 4 x (4 vectors) tile of C held in 16 registers. Reads the A strip
     * at {@code pa[ai + r*kc + p]} and the B panel at {@code pb[bi + p*NR + j]}. Writes
     * {@code rows x cols} elements of C at {@code ci}; {@code tile} is scratch for edge tiles.
     */
    private static void kernel4x4(int kc, float[] pa, int ai, float[] pb, int bi,
                                  float[] c, int ci, int ldc, boolean accumulate, int rows, int cols,
                                  float[] tile) {
        boolean full = rows == MR && cols == NR;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (full && accumulate) {
            int i = ci;
            c00 = FloatVector.fromArray(S, c, i);
            c01 = FloatVector.fromArray(S, c, i + L);
            c02 = FloatVector.fromArray(S, c, i + 2 * L);
            c03 = FloatVector.fromArray(S, c, i + 3 * L);
            i += ldc;
            c10 = FloatVector.fromArray(S, c, i);
            c11 = FloatVector.fromArray(S, c, i + L);
            c12 = FloatVector.fromArray(S, c, i + 2 * L);
            c13 = FloatVector.fromArray(S, c, i + 3 * L);
            i += ldc;
            c20 = FloatVector.fromArray(S, c, i);
            c21 = FloatVector.fromArray(S, c, i + L);
            c22 = FloatVector.fromArray(S, c, i + 2 * L);
            c23 = FloatVector.fromArray(S, c, i + 3 * L);
            i += ldc;
            c30 = FloatVector.fromArray(S, c, i);
            c31 = FloatVector.fromArray(S, c, i + L);
            c32 = FloatVector.fromArray(S, c, i + 2 * L);
            c33 = FloatVector.fromArray(S, c, i + 3 * L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c02 = c00;
            c03 = c00;
            c10 = c00;
            c11 = c00;
            c12 = c00;
            c13 = c00;
            c20 = c00;
            c21 = c00;
            c22 = c00;
            c23 = c00;
            c30 = c00;
            c31 = c00;
            c32 = c00;
            c33 = c00;
        }
        int ai1 = ai + kc;
        int ai2 = ai1 + kc;
        int ai3 = ai2 + kc;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, pb, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, pb, bi + 3 * L);
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
            bi += NR;
        }
        float[] dst = full ? c : tile;
        int i = full ? ci : 0;
        int step = full ? ldc : NR;
        c00.intoArray(dst, i);
        c01.intoArray(dst, i + L);
        c02.intoArray(dst, i + 2 * L);
        c03.intoArray(dst, i + 3 * L);
        i += step;
        c10.intoArray(dst, i);
        c11.intoArray(dst, i + L);
        c12.intoArray(dst, i + 2 * L);
        c13.intoArray(dst, i + 3 * L);
        i += step;
        c20.intoArray(dst, i);
        c21.intoArray(dst, i + L);
        c22.intoArray(dst, i + 2 * L);
        c23.intoArray(dst, i + 3 * L);
        i += step;
        c30.intoArray(dst, i);
        c31.intoArray(dst, i + L);
        c32.intoArray(dst, i + 2 * L);
        c33.intoArray(dst, i + 3 * L);
        if (!full) {
            storeTile(tile, NR, rows, cols, c, ci, ldc, accumulate);
        }
    }

    /**
     * Edge kernel for the last columns: a 4 x (1 vector) tile. Reads the A strip at
     * {@code pa[ai + r*kc + p]} and one vector of a B panel of the given width at
     * {@code pb[bi + p*width]}. Writes {@code rows x cols} elements of C at {@code ci}.
     */
    private static void kernel4x1(int kc, float[] pa, int ai, float[] pb, int bi, int width,
                                  float[] c, int ci, int ldc, boolean accumulate, int rows, int cols,
                                  float[] tile) {
        boolean full = rows == MR && cols == L;
        FloatVector c0, c1, c2, c3;
        if (full && accumulate) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + ldc);
            c2 = FloatVector.fromArray(S, c, ci + 2 * ldc);
            c3 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        int ai1 = ai + kc;
        int ai2 = ai1 + kc;
        int ai3 = ai2 + kc;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, pb, bi);
            c0 = FloatVector.broadcast(S, pa[ai + p]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, pa[ai1 + p]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, pa[ai2 + p]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, pa[ai3 + p]).fma(bv, c3);
            bi += width;
        }
        float[] dst = full ? c : tile;
        int i = full ? ci : 0;
        int step = full ? ldc : L;
        c0.intoArray(dst, i);
        c1.intoArray(dst, i + step);
        c2.intoArray(dst, i + 2 * step);
        c3.intoArray(dst, i + 3 * step);
        if (!full) {
            storeTile(tile, L, rows, cols, c, ci, ldc, accumulate);
        }
    }

    /**
     * Edge kernel for the last one or two rows, and the whole of {@link #gemmRows}: a
     * 1 x (4 vectors) tile. Reads a row of op(A) at {@code pa[ai + p*aStep]} and four vectors of
     * B at {@code pb[bi + p*bStride + j]}. Writes {@code cols} elements of one row of C at
     * {@code ci}.
     */
    private static void kernel1x4(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                                  float[] c, int ci, boolean accumulate, int cols, float[] tile) {
        boolean full = cols == NR;
        FloatVector c0, c1, c2, c3;
        if (full && accumulate) {
            c0 = FloatVector.fromArray(S, c, ci);
            c1 = FloatVector.fromArray(S, c, ci + L);
            c2 = FloatVector.fromArray(S, c, ci + 2 * L);
            c3 = FloatVector.fromArray(S, c, ci + 3 * L);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        for (int p = 0; p < kc; p++) {
            FloatVector av = FloatVector.broadcast(S, pa[ai]);
            c0 = av.fma(FloatVector.fromArray(S, pb, bi), c0);
            c1 = av.fma(FloatVector.fromArray(S, pb, bi + L), c1);
            c2 = av.fma(FloatVector.fromArray(S, pb, bi + 2 * L), c2);
            c3 = av.fma(FloatVector.fromArray(S, pb, bi + 3 * L), c3);
            ai += aStep;
            bi += bStride;
        }
        float[] dst = full ? c : tile;
        int i = full ? ci : 0;
        c0.intoArray(dst, i);
        c1.intoArray(dst, i + L);
        c2.intoArray(dst, i + 2 * L);
        c3.intoArray(dst, i + 3 * L);
        if (!full) {
            storeTile(tile, NR, 1, cols, c, ci, 0, accumulate);
        }
    }

    /**
     * Corner kernel: a 1 x (1 vector) tile. Reads {@code pa[ai + p*aStep]} and
     * {@code pb[bi + p*bStride]}. Writes {@code cols} elements of one row of C at {@code ci}.
     */
    private static void kernel1x1(int kc, float[] pa, int ai, int aStep, float[] pb, int bi, int bStride,
                                  float[] c, int ci, boolean accumulate, int cols, float[] tile) {
        boolean full = cols == L;
        FloatVector acc = full && accumulate ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            acc = FloatVector.broadcast(S, pa[ai]).fma(FloatVector.fromArray(S, pb, bi), acc);
            ai += aStep;
            bi += bStride;
        }
        if (full) {
            acc.intoArray(c, ci);
        } else {
            acc.intoArray(tile, 0);
            storeTile(tile, L, 1, cols, c, ci, 0, accumulate);
        }
    }

    /**
     * Scalar write-back of the top-left {@code rows x cols} corner of a tile (row stride
     * {@code tileStride}) into C: added to C when {@code accumulate}, else copied over it.
     * Modifies only {@code c}.
     */
    private static void storeTile(float[] tile, int tileStride, int rows, int cols,
                                  float[] c, int ci, int ldc, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            int t = r * tileStride;
            int o = ci + r * ldc;
            if (accumulate) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] += tile[t + j];
                }
            } else {
                System.arraycopy(tile, t, c, o, cols);
            }
        }
    }

    /**
     * Packs op(A)[ic .. ic+mc, pc .. pc+kc] into strips of MR rows, each strip row-major:
     * element (r, p) of the strip starting at row i0 goes to {@code pa[i0*kc + r*kc + p]}; rows
     * past mc are zero. Modifies only {@code pa}.
     */
    private static void packA(boolean transA, float[] a, int aOff, int lda,
                              int ic, int mc, int pc, int kc, float[] pa) {
        int mPadded = roundUp(mc, MR);
        if (transA) {
            // stored A is k x m: op(A)[i, p] = a[p * lda + i]; read each stored row once
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int i = 0, d = p; i < mc; i++, d += kc) {
                    pa[d] = a[src + i];
                }
            }
            Arrays.fill(pa, mc * kc, mPadded * kc, 0f);
        } else {
            // stored A is m x k: each packed row is a contiguous piece of a stored row
            for (int i = 0; i < mc; i++) {
                System.arraycopy(a, aOff + (ic + i) * lda + pc, pa, i * kc, kc);
            }
            Arrays.fill(pa, mc * kc, mPadded * kc, 0f);
        }
    }

    /**
     * Packs op(B)[pc .. pc+kc, jc .. jc+nc] into panels NR wide (the last one rounded up to a
     * multiple of L and zero-padded): element (p, j) of the panel starting at column j0, of width
     * w, goes to {@code pb[j0*kc + p*w + (j - j0)]}. When B is stored transposed, full panels are
     * gathered with the index map {@code rowStarts = {0, ldb, 2*ldb, ...}} on x86, where gathers
     * are compiled to single instructions, which is about twice as fast as scalar transposition.
     * Modifies only {@code pb}.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb,
                              int pc, int kc, int jc, int nc, float[] pb, int[] rowStarts) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = roundUp(cols, L);
            int base = j0 * kc;
            if (transB && GATHER && cols == NR) {
                // stored B is n x k: op(B)[p, j] = b[j * ldb + p]; gather one panel row from
                // NR stored rows, a vector of L of them at a time
                int s0 = bOff + (jc + j0) * ldb + pc;
                int s1 = s0 + L * ldb;
                int s2 = s1 + L * ldb;
                int s3 = s2 + L * ldb;
                for (int p = 0, d = base; p < kc; p++, d += NR) {
                    FloatVector.fromArray(S, b, s0 + p, rowStarts, 0).intoArray(pb, d);
                    FloatVector.fromArray(S, b, s1 + p, rowStarts, 0).intoArray(pb, d + L);
                    FloatVector.fromArray(S, b, s2 + p, rowStarts, 0).intoArray(pb, d + 2 * L);
                    FloatVector.fromArray(S, b, s3 + p, rowStarts, 0).intoArray(pb, d + 3 * L);
                }
            } else if (transB) {
                // stored B is n x k: op(B)[p, j] = b[j * ldb + p]; read each stored row once
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + j0 + j) * ldb + pc;
                    int d = base + j;
                    for (int p = 0; p < kc; p++, d += width) {
                        pb[d] = b[src + p];
                    }
                }
                for (int j = cols; j < width; j++) {
                    for (int p = 0, d = base + j; p < kc; p++, d += width) {
                        pb[d] = 0f;
                    }
                }
            } else {
                // stored B is k x n: each panel row is a contiguous piece of a stored row
                int src = bOff + pc * ldb + jc + j0;
                for (int p = 0, d = base; p < kc; p++, src += ldb, d += width) {
                    System.arraycopy(b, src, pb, d, cols);
                    for (int j = cols; j < width; j++) {
                        pb[d + j] = 0f;
                    }
                }
            }
        }
    }

    private static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** One thread's packing buffers. */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        private final int[] rowStarts = new int[L];
        private int rowStartsLd = 0;

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }

        /** {0, ld, 2*ld, ..., (L-1)*ld}: the starts of L consecutive rows of stride ld. */
        int[] rowStarts(int ld) {
            if (rowStartsLd != ld) {
                for (int i = 0; i < L; i++) {
                    rowStarts[i] = i * ld;
                }
                rowStartsLd = ld;
            }
            return rowStarts;
        }
    }
}
