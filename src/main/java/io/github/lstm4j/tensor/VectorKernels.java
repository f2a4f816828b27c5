package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.MR;
import static io.github.lstm4j.tensor.VectorMicroKernels.MR_SHORT;
import static io.github.lstm4j.tensor.VectorMicroKernels.NR;
import static io.github.lstm4j.tensor.VectorMicroKernels.roundUp;

import jdk.incubator.vector.FloatVector;

/**
 * The provider built on the incubating Vector API ({@code jdk.incubator.vector}), with
 * {@code FloatVector.SPECIES_PREFERRED} lanes (16 on AVX-512, 8 on AVX2).
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is in the boot
 * layer; {@link Kernels} loads it reflectively so that the library runs without the module.
 *
 * <h2>GEMM</h2>
 * The classic packed, register-tiled scheme (Goto/BLIS):
 * <pre>
 * for jc in n step NC                       // columns of C
 *   for pc in k step KC                     // k block
 *     pack op(B)[pc:pc+kc, jc:jc+nc] into panels NR wide, row after row (k-major)
 *     for ic in m step MC                   // rows of C
 *       pack op(A)[ic:ic+mc, pc:pc+kc] row after row (row stride KC, zero-padded)
 *       for each B panel (NR columns)       // the panel (kc x NR floats), reread by every strip
 *         for each A strip (MR = 6 rows, the last ones MR_SHORT = 4)
 *           micro-kernel: 6 x NR tile of C in 24 registers (or 4 x NR in 16)
 * </pre>
 * When B is not transposed, its full panels are not packed up front: the first strip of the first
 * row block reads each panel from B as stored and writes the packed copy as it goes
 * ({@link VectorMicroKernels#kernelPanel}), so B crosses the memory hierarchy once instead of
 * being copied and read back (64x128 by 128x512: about 5% faster in JMH).
 * The 6-row tile takes 4 vector loads of B and 6 broadcasts of A per 24 fused multiply-adds,
 * against 4 and 4 per 16 for a 4-row one; on AVX-512 it leaves 2 of the 32 registers free.
 * The files: {@link VectorPacking} (the copies), {@link VectorMicroKernels} (the tiles),
 * {@link VectorFewRows} (products of a few rows, which skip packing),
 * {@link VectorLstm} and {@link VectorMath} (the fused LSTM step and its activations), and
 * {@link VectorColumnSums}. A beta other than 0 or 1 is applied to C up front;
 * then the first k block overwrites C (beta 0) or adds to it (beta 1), and later blocks add.
 * Every path (packed, few rows, swapped, prepacked B, edge tiles) computes each element of C as
 * one chain of fused multiply-adds over k in ascending order, from +0 or from C, which is
 * {@link PlainKernels}' arithmetic: the two providers give the same bits for every product.
 *
 * <p>Threads: the algorithm is chosen from the whole product, then C is cut into blocks of whole
 * register tiles ({@link GemmPartition}) which the pool computes in parallel, each block packing
 * its own operands. Every element is computed by the same operations whichever block it is in,
 * so results do not depend on the thread count.
 *
 * <p>Weight gradients {@code dY^T X}, a transposed A taller than B is wide, are computed as their
 * transpose ({@link #swapped}), so that only the smaller operand is transposed element by element.
 *
 * <h2>Keeping C2 on the fast path</h2>
 * A Vector API operation that C2 does not inline runs its Java fallback and allocates, 50 to 100
 * times slower. Three rules keep every kernel compiled: a method holding many vector operations
 * is either more than 325 bytecodes long (C2 then never inlines it into a hot caller, and
 * compiles it on its own, within its node budget) or called through a call site that sees
 * several classes ({@link VectorMath}); no vector crosses a method boundary (the kernels take
 * arrays); and only one FloatVector shape is used in the JVM (a second one makes the Vector
 * API's call sites polymorphic). A training step of any of the benchmark sizes then allocates
 * nothing in the kernels.
 *
 * <p>Packing buffers are kept per thread and reused, so a call allocates nothing once the thread
 * has seen its largest block. Instances are stateless and thread-safe. Arguments are not
 * validated here; call through {@link Kernels} for checked access.
 */
public final class VectorKernels implements KernelProvider {

    /**
     * Depth of a k block. A packed B panel (KC x NR floats, 64 kB) is larger than L1 on most
     * machines, but a k block of 256 instead of 128 left the JMH-sized products unchanged
     * (64x512x128 to 128x512x2048, within 3%) and made those of the tutorial's backward one
     * block instead of two or three: 32 x 200 by 200 x 50 5.0 -> 4.5 us, 320 x 200 by 200 x 50
     * 51 -> 45 us (probes, EPYC).
     */
    static final int KC = 256;
    /** Rows of op(A) packed at once: the packed A block (MC x KC) should fit in L2. */
    static final int MC = 384;
    /** Columns of op(B) packed at once: the packed B block (KC x NC) should fit in L2. */
    static final int NC = 2048;

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
     * <p>Modifies only {@code c} (and the packing buffers of the threads it runs on).
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
        product(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, beta != 0f, c, cOff, ldc);
    }

    /**
     * {@link #gemm} once beta is 0 or 1 ({@code acc}): chooses the path for the whole product and
     * runs it. Modifies only {@code c} (and the packing buffers of the threads it runs on).
     */
    private static void product(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                boolean acc, float[] c, int cOff, int ldc) {
        // the algorithm is chosen from the whole product, never from a block of it
        // every path computes each element as one chain of fused multiply-adds in k order
        // (PlainKernels' arithmetic); a transposed B is gathered or packed, never read by dot products
        if (transB && VectorFewRows.useGather(m, n)) {
            GemmPartition.run(m, n, k, MR_SHORT, L, (i0, i1, j0, j1) ->
                    VectorFewRows.gemmGather(transA, i1 - i0, j1 - j0, k, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff + j0 * ldb, ldb, acc, c, cOff + i0 * ldc + j0, ldc, WORKSPACE.get().rowStarts(ldb)));
        } else if (!transB && m <= VectorFewRows.ROWS_MAX_M) {
            GemmPartition.run(m, n, k, MR_SHORT, NR, (i0, i1, j0, j1) ->
                    VectorFewRows.gemmRows(transA, i1 - i0, j1 - j0, k, KC, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff + j0, ldb, acc, c, cOff + i0 * ldc + j0, ldc, WORKSPACE.get().tile));
        } else if (transA && !transB && m >= 2 * n) {
            swapped(m, n, k, a, aOff, lda, b, bOff, ldb, acc, c, cOff, ldc);
        } else {
            GemmPartition.run(m, n, k, MR_SHORT, NR, (i0, i1, j0, j1) ->
                    packed(transA, transB, i1 - i0, j1 - j0, k, a, aOff + (transA ? i0 : i0 * lda), lda,
                            b, bOff + (transB ? j0 * ldb : j0), ldb, acc, c, cOff + i0 * ldc + j0, ldc));
        }
    }

    /**
     * A^T B with A (k x m) taller than B (k x n) is wide, as a weight gradient {@code dY^T X} over
     * many rows: packing A^T means transposing it element by element, so the product is computed
     * as its transpose C^T = B^T A instead, where only the smaller B is transposed and A is copied
     * row by row, then C^T is transposed into C. An element is the same chain of fused
     * multiply-adds either way (the factors of each product swapped), so the bits are those of
     * the direct product. Modifies {@code c} and this thread's transpose buffer.
     */
    private static void swapped(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                boolean acc, float[] c, int cOff, int ldc) {
        float[] ct = WORKSPACE.get().transposed(n * m);
        if (acc) {
            transpose(m, n, c, cOff, ldc, ct, false);
        }
        // C^T = B^T A takes the path chosen for it as for any product (never this one again, since
        // n < 2m): the row path when C^T has one or two rows (the input weights of a layer of
        // input size 1 or 2; 200 x 1 x 320: 10 us packed, 4.6 us by rows, measured), else packing
        product(true, false, n, m, k, b, bOff, ldb, a, aOff, lda, acc, ct, 0, m);
        transpose(m, n, c, cOff, ldc, ct, true);
    }

    /**
     * Copies C ({@code m x n} at {@code c[cOff]}, row stride {@code ldc}) to or from its transpose
     * {@code ct} ({@code n x m}, rows packed): {@code toC} writes C, otherwise {@code ct}. Four rows
     * of C at a time, so that each element of ct is next to the one before it (twice as fast as
     * one row at a time for 200 x 50, measured).
     */
    private static void transpose(int m, int n, float[] c, int cOff, int ldc, float[] ct, boolean toC) {
        if (VectorTranspose.WORKS) {
            // 16 x 16 blocks in registers, then the columns past the last block and the rows past
            // the last block element by element
            int bk = VectorTranspose.B;
            int ib = m / bk * bk;
            int jb = n / bk * bk;
            for (int i = 0; i < ib; i += bk) {
                for (int j = 0; j < jb; j += bk) {
                    if (toC) {
                        VectorTranspose.block(ct, j * m + i, m, c, cOff + i * ldc + j, ldc);
                    } else {
                        VectorTranspose.block(c, cOff + i * ldc + j, ldc, ct, j * m + i, m);
                    }
                }
            }
            transposeScalar(0, ib, jb, n, m, c, cOff, ldc, ct, toC);
            transposeScalar(ib, m, 0, n, m, c, cOff, ldc, ct, toC);
        } else {
            transposeScalar(0, m, 0, n, m, c, cOff, ldc, ct, toC);
        }
    }

    /**
     * {@link #transpose} of rows {@code [i0, i1)} and columns {@code [j0, j1)} of C ({@code m}
     * rows in all) element by element.
     */
    private static void transposeScalar(int i0, int i1, int j0, int j1, int m, float[] c, int cOff, int ldc, float[] ct,
                                        boolean toC) {
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int c0 = cOff + i * ldc;
            for (int j = j0, t = i + j0 * m; j < j1; j++, t += m) {
                if (toC) {
                    c[c0 + j] = ct[t];
                    c[c0 + ldc + j] = ct[t + 1];
                    c[c0 + 2 * ldc + j] = ct[t + 2];
                    c[c0 + 3 * ldc + j] = ct[t + 3];
                } else {
                    ct[t] = c[c0 + j];
                    ct[t + 1] = c[c0 + ldc + j];
                    ct[t + 2] = c[c0 + 2 * ldc + j];
                    ct[t + 3] = c[c0 + 3 * ldc + j];
                }
            }
        }
        for (; i < i1; i++) {
            for (int j = j0, ci = cOff + i * ldc, t = i + j0 * m; j < j1; j++, t += m) {
                if (toC) {
                    c[ci + j] = ct[t];
                } else {
                    ct[t] = c[ci + j];
                }
            }
        }
    }

    /** The packed path over one block of C, on the calling thread. Modifies {@code c}. */
    private static void packed(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               boolean accumulateFirst, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(k, KC);
        float[] pa = ws.a(VectorMicroKernels.packedRows(Math.min(m, MC)) * KC);
        float[] pb = ws.b(roundUp(Math.min(n, NC), L) * kcMax + Alignment.SLACK);
        int pbOff = Alignment.floatOffset(pb);    // panels start on a cache line: see Alignment
        int[] rowStarts = transB && VectorPacking.GATHER && n >= NR ? ws.rowStarts(ldb) : null;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean accumulate = pc > 0 || accumulateFirst;
                // B stored as op(B) is packed by the first strip of the first row block as it goes,
                // except its last, partial panel
                int fused = !transB && VectorMicroKernels.tallStrips(Math.min(m, MC)) > 0 ? nc / NR * NR : 0;
                if (fused < nc) {
                    VectorPacking.packB(transB, b, bOff, ldb, pc, kc, jc + fused, nc - fused, pb, pbOff + fused * kc,
                            rowStarts);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    VectorPacking.packA(transA, a, aOff, lda, ic, mc, pc, kc, pa);
                    VectorMicroKernels.macroKernel(mc, nc, kc, pa, pb, pbOff, ic == 0 && fused > 0 ? b : null,
                            bOff + pc * ldb + jc, ldb, c, cOff + ic * ldc + jc, ldc, accumulate, null, 0, ws.tile);
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The layout is the packed path's: column blocks of {@code NC}, k blocks of {@code KC},
     * panels {@code NR} wide.
     */
    @Override
    public PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        // every element read is written; the panels start on a cache line: see Alignment
        float[] data = ArrayPool.take(VectorPacking.packedSize(k, n) + Alignment.SLACK);
        int offset = Alignment.floatOffset(data);
        int[] rowStarts = transB && VectorPacking.GATHER && n >= NR ? VectorPacking.rowStarts(ldb) : null;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                VectorPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, data,
                        offset + VectorPacking.blockOffset(k, n, NC, jc, pc), rowStarts);
            }
        }
        return new PackedMatrix(this, k, n, data, offset);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Computes every element exactly as the packed path of {@link #gemm} does (and so as its row
     * path does). Modifies only {@code c} (and the packing buffers of the threads it runs on).
     */
    @Override
    public void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float beta,
                     float[] c, int cOff, int ldc) {
        prepackedProduct(m, a, aOff, lda, b.rows(), null, 0, 0, b, beta, null, c, cOff, ldc);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Packs the two parts of A straight into its packed block, so the product costs what one
     * of A stored whole would. Modifies only {@code c} (and the packing buffers of the threads it
     * runs on).
     */
    @Override
    public void gemmConcat(int m, float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off, int lda2,
                           PackedMatrix b, float[] bias, float[] c, int cOff, int ldc) {
        prepackedProduct(m, a1, a1Off, lda1, k1, a2, a2Off, lda2, b, 0f, bias, c, cOff, ldc);
    }

    /**
     * A (in one or two parts, see {@link #gemmConcat}) times a prepacked B, plus beta C, plus the
     * row {@code bias} when not null (beta is then 0): the product's accumulators start from it.
     */
    private static void prepackedProduct(int m, float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off,
                                         int lda2, PackedMatrix b, float beta, float[] bias,
                                         float[] c, int cOff, int ldc) {
        int n = b.cols();
        int k = b.rows();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 && bias != null) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(bias, 0, c, cOff + i * ldc, n);
            }
            return;
        }
        if (k == 0 || (beta != 0f && beta != 1f)) {
            PlainKernels.scale(m, n, beta, c, cOff, ldc);
            if (k == 0) {
                return;
            }
        }
        boolean acc = beta != 0f;
        float[] pb = b.data();
        int pbOff = b.offset();
        GemmPartition.run(m, n, k, MR_SHORT, NR, (i0, i1, j0, j1) ->
                prepacked(i1 - i0, j0, j1, n, k, a1, a1Off + i0 * lda1, lda1, k1, a2, a2Off + i0 * lda2, lda2,
                        pb, pbOff, acc, bias, c, cOff + i0 * ldc, ldc));
    }

    /**
     * Rows {@code [0, m)} and columns {@code [j0, j1)} ({@code j0} a multiple of NR) of A times a
     * prepacked B whose layout starts at {@code pb[pbStart]}, on the calling thread; A's first
     * {@code k1} columns are in {@code a1}, the rest in {@code a2} (null when {@code k1 == k}).
     * The first k block starts from the row {@code bias} when it is not null (and not
     * {@code accumulateFirst}). Modifies {@code c}.
     */
    private static void prepacked(int m, int j0, int j1, int n, int k, float[] a1, int a1Off, int lda1, int k1,
                                  float[] a2, int a2Off, int lda2, float[] pb, int pbStart, boolean accumulateFirst,
                                  float[] bias, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        float[] pa = ws.a(VectorMicroKernels.packedRows(Math.min(m, MC)) * KC);
        for (int jc = j0 / NC * NC; jc < j1; jc += NC) {
            int js = Math.max(j0, jc);                 // first column of this column block we do
            int je = Math.min(j1, Math.min(n, jc + NC));
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean accumulate = pc > 0 || accumulateFirst;
                int pbOff = pbStart + VectorPacking.blockOffset(k, n, NC, jc, pc) + (js - jc) * kc;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    VectorPacking.packAConcat(a1, a1Off, lda1, k1, a2, a2Off, lda2, ic, mc, pc, kc, pa);
                    VectorMicroKernels.macroKernel(mc, je - js, kc, pa, pb, pbOff, c, cOff + ic * ldc + js, ldc,
                            accumulate, pc == 0 ? bias : null, js, ws.tile);
                }
            }
        }
    }

    /** {@inheritDoc} The float block sums on vectors; see {@link VectorColumnSums}. */
    @Override
    public void columnSums(int rows, int j0, int j1, float[] x, int off, int ld, float[] sums) {
        PlainKernels.columnSums(rows, j0, j1, x, off, ld, sums, true);
    }

    /**
     * {@inheritDoc} On vectors, the same operations in the same order (each exactly rounded,
     * the square root included), so the plain provider's bits; the last partial vector in plain
     * Java.
     */
    @Override
    public void adamUpdate(int n, float[] p, float[] g, float[] m, float[] v, float b1, float c1, float b2, float c2,
                           float bc2Sqrt, float eps, float negStepSize) {
        int nv = VectorMicroKernels.S.loopBound(n);
        for (int i = 0; i < nv; i += L) {
            FloatVector gi = FloatVector.fromArray(VectorMicroKernels.S, g, i);
            FloatVector mi = FloatVector.fromArray(VectorMicroKernels.S, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(VectorMicroKernels.S, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            FloatVector denom = vi.sqrt().div(bc2Sqrt).add(eps);
            FloatVector.fromArray(VectorMicroKernels.S, p, i).add(mi.mul(negStepSize).div(denom)).intoArray(p, i);
            mi.intoArray(m, i);
            vi.intoArray(v, i);
        }
        PlainKernels.adamRange(nv, n, p, g, m, v, b1, c1, b2, c2, bc2Sqrt, eps, negStepSize);
    }

    /** {@inheritDoc} Vectorised; see {@link VectorLstm#forward}. */
    @Override
    public void lstmForward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] rec, int rOff, int rStride,
                            float[] c, int cOff, int cStride, float[] tanhC, int tOff, int tStride,
                            float[] h, int hOff, int hStride) {
        VectorLstm.forward(rows, hidden, gates, gOff, gStride, rec, rOff, rStride, c, cOff, cStride,
                tanhC, tOff, tStride, h, hOff, hStride, WORKSPACE.get().lstm(VectorLstm.scratchSize(rows, hidden)));
    }

    /** {@inheritDoc} Vectorised; see {@link VectorLstm#backwardRow}. */
    @Override
    public void lstmBackward(int rows, int hidden, float[] gates, int gOff, int gStride, float[] tanhC, int tOff,
                             int tStride, float[] cPrev, int cpOff, int cpStride, float[] dh, int dhOff, int dhStride,
                             float[] dh2, int dh2Off, int dh2Stride, float[] dc, int dcOff, int dcStride,
                             float[] dGates, int dgOff, int dgStride) {
        for (int r = 0; r < rows; r++) {
            VectorLstm.backwardRow(hidden, gates, gOff + r * gStride, tanhC, tOff + r * tStride,
                    cPrev, cpOff + r * cpStride, dh, dhOff + r * dhStride, dh2, dh2Off + r * dh2Stride,
                    dc, dcOff + r * dcStride, dGates, dgOff + r * dgStride);
        }
    }

    /** One thread's packing buffers. */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        private int[] rowStarts = new int[0];
        private int rowStartsLd = -1;
        private float[] lstm;
        private float[] transposed = new float[0];

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

        int[] rowStarts(int ld) {
            if (rowStartsLd != ld) {
                rowStarts = VectorPacking.rowStarts(ld);
                rowStartsLd = ld;
            }
            return rowStarts;
        }

        /** The result of a product computed transposed; see {@link #swapped}. */
        float[] transposed(int size) {
            if (transposed.length < size) {
                transposed = new float[size];
            }
            return transposed;
        }

        /** Scratch for an LSTM row, at least {@code size} floats. */
        float[] lstm(int size) {
            if (lstm == null || lstm.length < size) {
                lstm = new float[size];
            }
            return lstm;
        }
    }
}
