package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.KC;
import static io.github.lstm4j.tensor.VectorMicroKernels.NR;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;
import static io.github.lstm4j.tensor.VectorMicroKernels.roundUp;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of op(A) and op(B) into the layouts that {@link VectorMicroKernels} read
 * sequentially, so that all four transpose cases run the same micro-kernel.
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorPacking {

    /**
     * Whether to pack transposed B with gathers: HotSpot compiles FloatVector gathers to one
     * instruction on x86 (AVX2 and AVX-512) but emulates them lane by lane elsewhere in JDK 17.
     */
    static final boolean GATHER = isX86(System.getProperty("os.arch", ""));

    private VectorPacking() {
    }

    /**
     * Packs op(A)[ic .. ic+mc, pc .. pc+kc] row after row with the row stride {@link VectorMicroKernels#KC}:
     * element (i, p) goes to {@code pa[i*KC + p]}; the rows after mc up to
     * {@link VectorMicroKernels#packedRows} are zero over their first kc elements.
     * Modifies only {@code pa}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda,
                      int ic, int mc, int pc, int kc, float[] pa) {
        if (transA) {
            // stored A is k x m: op(A)[i, p] = a[p * lda + i]. 16 x 16 blocks transposed in
            // registers where they can be; the rest four rows at a time, so that the writes go to
            // four sequential streams (a scatter over all mc rows per p thrashes L1)
            int i0 = 0;
            if (VectorTranspose.WORKS) {
                int bk = VectorTranspose.B;
                int kb = kc / bk * bk;
                for (; i0 + bk <= mc; i0 += bk) {
                    int src = aOff + pc * lda + ic + i0;
                    for (int p = 0; p < kb; p += bk) {
                        VectorTranspose.block(a, src + p * lda, lda, pa, i0 * KC + p, KC);
                    }
                    for (int i = i0; i < i0 + bk; i++) {
                        for (int p = kb; p < kc; p++) {
                            pa[i * KC + p] = a[src + p * lda + i - i0];
                        }
                    }
                }
            }
            for (; i0 + 4 <= mc; i0 += 4) {
                int d = i0 * KC;
                int src = aOff + pc * lda + ic + i0;
                for (int p = 0; p < kc; p++, src += lda) {
                    pa[d + p] = a[src];
                    pa[d + KC + p] = a[src + 1];
                    pa[d + 2 * KC + p] = a[src + 2];
                    pa[d + 3 * KC + p] = a[src + 3];
                }
            }
            for (int i = i0; i < mc; i++) {
                int d = i * KC;
                int src = aOff + pc * lda + ic + i;
                for (int p = 0; p < kc; p++, src += lda) {
                    pa[d + p] = a[src];
                }
            }
        } else {
            // stored A is m x k: each packed row is a contiguous piece of a stored row
            for (int i = 0; i < mc; i++) {
                System.arraycopy(a, aOff + (ic + i) * lda + pc, pa, i * KC, kc);
            }
        }
        zeroPaddedRows(mc, kc, pa);
    }

    /**
     * {@link #packA} of an untransposed A whose first {@code k1} columns are stored in {@code a1}
     * (row stride {@code lda1}) and the rest in {@code a2} (row stride {@code lda2}, its column 0
     * being A's column {@code k1}); {@code a2} is not read when the block ends by {@code k1}.
     * Modifies only {@code pa}.
     */
    static void packAConcat(float[] a1, int a1Off, int lda1, int k1, float[] a2, int a2Off, int lda2,
                            int ic, int mc, int pc, int kc, float[] pa) {
        int n1 = Math.max(0, Math.min(kc, k1 - pc));   // columns of the block from a1
        if (n1 == kc) {
            packA(false, a1, a1Off, lda1, ic, mc, pc, kc, pa);
            return;
        }
        int p2 = Math.max(0, pc - k1);                  // first column of a2 in the block
        for (int i = 0; i < mc; i++) {
            if (n1 > 0) {
                System.arraycopy(a1, a1Off + (ic + i) * lda1 + pc, pa, i * KC, n1);
            }
            System.arraycopy(a2, a2Off + (ic + i) * lda2 + p2, pa, i * KC + n1, kc - n1);
        }
        zeroPaddedRows(mc, kc, pa);
    }

    /**
     * Packs op(B)[pc .. pc+kc, jc .. jc+nc] into panels NR wide (the last one rounded up to a
     * multiple of L and zero-padded): element (p, j) of the panel starting at column j0, of width
     * w, goes to {@code pb[pbOff + j0*kc + p*w + (j - j0)]}. When B is stored transposed, full
     * panels are gathered with the index map {@code rowStarts = {0, ldb, 2*ldb, ...}} on x86,
     * where gathers are single instructions, about twice as fast as scalar transposition.
     * Modifies only {@code pb}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb,
                      int pc, int kc, int jc, int nc, float[] pb, int pbOff, int[] rowStarts) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int cols = Math.min(NR, nc - j0);
            int width = roundUp(cols, L);
            int base = pbOff + j0 * kc;
            int s0 = bOff + (jc + j0) * ldb + pc;   // with transB: stored row jc + j0, column pc
            if (transB && (rowStarts != null || VectorTranspose.WORKS) && cols == NR) {
                // stored B is n x k: op(B)[p, j] = b[j * ldb + p]; 16 x 16 blocks transposed in
                // registers where they can be, then one panel row gathered from NR stored rows,
                // a vector of L of them at a time (element by element where gathers are not used)
                int p0 = 0;
                if (VectorTranspose.WORKS) {
                    for (; p0 + VectorTranspose.B <= kc; p0 += VectorTranspose.B) {
                        for (int q = 0; q < NR; q += VectorTranspose.B) {
                            VectorTranspose.block(b, s0 + q * ldb + p0, ldb, pb, base + p0 * NR + q, NR);
                        }
                    }
                }
                if (rowStarts == null) {
                    copyTransposed(b, s0, ldb, NR, p0, kc, pb, base, NR);
                    continue;
                }
                int s1 = s0 + L * ldb;
                int s2 = s1 + L * ldb;
                int s3 = s2 + L * ldb;
                for (int p = p0, d = base + p0 * NR; p < kc; p++, d += NR) {
                    FloatVector.fromArray(S, b, s0 + p, rowStarts, 0).intoArray(pb, d);
                    FloatVector.fromArray(S, b, s1 + p, rowStarts, 0).intoArray(pb, d + L);
                    FloatVector.fromArray(S, b, s2 + p, rowStarts, 0).intoArray(pb, d + 2 * L);
                    FloatVector.fromArray(S, b, s3 + p, rowStarts, 0).intoArray(pb, d + 3 * L);
                }
            } else if (transB) {
                // stored B is n x k: op(B)[p, j] = b[j * ldb + p]; read each stored row once
                copyTransposed(b, s0, ldb, cols, 0, kc, pb, base, width);
                for (int j = cols; j < width; j++) {
                    for (int p = 0, d = base + j; p < kc; p++, d += width) {
                        pb[d] = 0f;
                    }
                }
            } else if (cols == NR) {
                // stored B is k x n: each panel row is a contiguous piece of a stored row, copied
                // as four vectors (a call to arraycopy per 64 floats costs as much as the copy)
                int src = bOff + pc * ldb + jc + j0;
                for (int p = 0; p < kc; p++) {
                    int sp = src + p * ldb;
                    int d = base + p * NR;
                    FloatVector.fromArray(S, b, sp).intoArray(pb, d);
                    FloatVector.fromArray(S, b, sp + L).intoArray(pb, d + L);
                    FloatVector.fromArray(S, b, sp + 2 * L).intoArray(pb, d + 2 * L);
                    FloatVector.fromArray(S, b, sp + 3 * L).intoArray(pb, d + 3 * L);
                }
            } else {
                int src = bOff + pc * ldb + jc + j0;
                for (int p = 0, d = base; p < kc; p++, src += ldb, d += width) {
                    System.arraycopy(b, src, pb, d, cols);
                    Arrays.fill(pb, d + cols, d + width, 0f);
                }
            }
        }
    }

    /**
     * Where the block {@code (jc, pc)} of a whole packed op(B) starts: blocks are stored column
     * block after column block ({@code nc} wide, the last rounded up to L), and within one, k
     * block after k block ({@code kc} rows of the padded width each).
     */
    static int blockOffset(int k, int n, int nc, int jc, int pc) {
        return jc * k + pc * roundUp(Math.min(nc, n - jc), L);
    }

    /** The size of a whole packed op(B) ({@code k x n}, columns rounded up to L). */
    static int packedSize(int k, int n) {
        return k * roundUp(n, L);
    }

    /**
     * Panel rows {@code [p0, p1)} of the first {@code cols} columns of a panel of the given width
     * at {@code pb[base]}, from a B stored transposed: {@code pb[base + p * width + j] =
     * b[s + j * ldb + p]}, each stored row read once. Modifies only {@code pb}.
     */
    private static void copyTransposed(float[] b, int s, int ldb, int cols, int p0, int p1, float[] pb, int base,
                                       int width) {
        for (int j = 0; j < cols; j++) {
            int src = s + j * ldb;
            for (int p = p0, d = base + p0 * width + j; p < p1; p++, d += width) {
                pb[d] = b[src + p];
            }
        }
    }

    /** Zeroes the packed rows of A past {@code mc}, up to the strips' height, for a k block {@code kc} deep. */
    private static void zeroPaddedRows(int mc, int kc, float[] pa) {
        for (int i = mc, end = VectorMicroKernels.packedRows(mc); i < end; i++) {
            Arrays.fill(pa, i * KC, i * KC + kc, 0f);
        }
    }

    /** {0, ld, 2*ld, ..., (L-1)*ld}: the starts of L consecutive rows of stride ld. */
    static int[] rowStarts(int ld) {
        int[] r = new int[L];
        for (int i = 0; i < L; i++) {
            r[i] = i * ld;
        }
        return r;
    }

    private static boolean isX86(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
