package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Transposes 16 x 16 blocks of floats in registers, for the packing copies that transpose
 * (op(B) from a B stored transposed, op(A) from an A stored transposed, and the swapped
 * product's C^T): 16 row loads, four stages of lane permutations and blends, 16 row stores.
 * A 192 x 96 transpose took 4.5 us this way against 7 us by gathers and 9-12 us element by
 * element (probe, AVX-512). Only for 16 lanes ({@link #WORKS}); with other vector lengths the
 * callers keep their element-wise or gathering loops. A pure copy: every float keeps its bits.
 *
 * <p>One method of straight-line code, more than 325 bytecodes long, so C2 compiles it on its own
 * (see {@link VectorKernels}). This class must only be loaded when the {@code jdk.incubator.vector}
 * module is present.
 */
final class VectorTranspose {

    /** Whether {@link #block} can be used: the preferred species has 16 lanes. */
    static final boolean WORKS = L == 16;
    /** The block size. */
    static final int B = 16;

    // per stage s (lane distance d = 8 >> s): UP moves lane i - d to i, DOWN lane i + d to i;
    // HI selects the lanes with bit d set, LO the others
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] UP = new VectorShuffle[4];
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] DOWN = new VectorShuffle[4];
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] HI = new VectorMask[4];
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] LO = new VectorMask[4];

    static {
        if (WORKS) {
            for (int s = 0; s < 4; s++) {
                int d = 8 >> s;
                int[] up = new int[L];
                int[] down = new int[L];
                boolean[] hi = new boolean[L];
                for (int i = 0; i < L; i++) {
                    up[i] = (i - d + L) % L;
                    down[i] = (i + d) % L;
                    hi[i] = (i & d) != 0;
                }
                UP[s] = VectorShuffle.fromArray(S, up, 0);
                DOWN[s] = VectorShuffle.fromArray(S, down, 0);
                HI[s] = VectorMask.fromArray(S, hi, 0);
                LO[s] = HI[s].not();
            }
        }
    }

    private VectorTranspose() {
    }

    /**
     * {@code dst[dO + j * ldd + i] = src[so + i * lds + j]} for {@code i, j < 16}. Only when
     * {@link #WORKS}. Modifies only those 256 elements of {@code dst}, which must not overlap the
     * block of {@code src}.
     */
    static void block(float[] src, int so, int lds, float[] dst, int dO, int ldd) {
        FloatVector v0 = FloatVector.fromArray(S, src, so);
        FloatVector v1 = FloatVector.fromArray(S, src, so + lds);
        FloatVector v2 = FloatVector.fromArray(S, src, so + 2 * lds);
        FloatVector v3 = FloatVector.fromArray(S, src, so + 3 * lds);
        FloatVector v4 = FloatVector.fromArray(S, src, so + 4 * lds);
        FloatVector v5 = FloatVector.fromArray(S, src, so + 5 * lds);
        FloatVector v6 = FloatVector.fromArray(S, src, so + 6 * lds);
        FloatVector v7 = FloatVector.fromArray(S, src, so + 7 * lds);
        FloatVector v8 = FloatVector.fromArray(S, src, so + 8 * lds);
        FloatVector v9 = FloatVector.fromArray(S, src, so + 9 * lds);
        FloatVector va = FloatVector.fromArray(S, src, so + 10 * lds);
        FloatVector vb = FloatVector.fromArray(S, src, so + 11 * lds);
        FloatVector vc = FloatVector.fromArray(S, src, so + 12 * lds);
        FloatVector vd = FloatVector.fromArray(S, src, so + 13 * lds);
        FloatVector ve = FloatVector.fromArray(S, src, so + 14 * lds);
        FloatVector vf = FloatVector.fromArray(S, src, so + 15 * lds);
        FloatVector a;
        // stage s swaps the off-diagonal 2^(3-s) x 2^(3-s) sub-blocks of each pair of rows 2^(3-s)
        // apart: a gets b's lanes shifted up where the lane bit is set, b gets a's shifted down
        // where it is clear
        VectorShuffle<Float> up = UP[0];
        VectorShuffle<Float> dn = DOWN[0];
        VectorMask<Float> hi = HI[0];
        VectorMask<Float> lo = LO[0];
        a = v0.blend(v8.rearrange(up), hi);
        v8 = v8.blend(v0.rearrange(dn), lo);
        v0 = a;
        a = v1.blend(v9.rearrange(up), hi);
        v9 = v9.blend(v1.rearrange(dn), lo);
        v1 = a;
        a = v2.blend(va.rearrange(up), hi);
        va = va.blend(v2.rearrange(dn), lo);
        v2 = a;
        a = v3.blend(vb.rearrange(up), hi);
        vb = vb.blend(v3.rearrange(dn), lo);
        v3 = a;
        a = v4.blend(vc.rearrange(up), hi);
        vc = vc.blend(v4.rearrange(dn), lo);
        v4 = a;
        a = v5.blend(vd.rearrange(up), hi);
        vd = vd.blend(v5.rearrange(dn), lo);
        v5 = a;
        a = v6.blend(ve.rearrange(up), hi);
        ve = ve.blend(v6.rearrange(dn), lo);
        v6 = a;
        a = v7.blend(vf.rearrange(up), hi);
        vf = vf.blend(v7.rearrange(dn), lo);
        v7 = a;
        up = UP[1];
        dn = DOWN[1];
        hi = HI[1];
        lo = LO[1];
        a = v0.blend(v4.rearrange(up), hi);
        v4 = v4.blend(v0.rearrange(dn), lo);
        v0 = a;
        a = v1.blend(v5.rearrange(up), hi);
        v5 = v5.blend(v1.rearrange(dn), lo);
        v1 = a;
        a = v2.blend(v6.rearrange(up), hi);
        v6 = v6.blend(v2.rearrange(dn), lo);
        v2 = a;
        a = v3.blend(v7.rearrange(up), hi);
        v7 = v7.blend(v3.rearrange(dn), lo);
        v3 = a;
        a = v8.blend(vc.rearrange(up), hi);
        vc = vc.blend(v8.rearrange(dn), lo);
        v8 = a;
        a = v9.blend(vd.rearrange(up), hi);
        vd = vd.blend(v9.rearrange(dn), lo);
        v9 = a;
        a = va.blend(ve.rearrange(up), hi);
        ve = ve.blend(va.rearrange(dn), lo);
        va = a;
        a = vb.blend(vf.rearrange(up), hi);
        vf = vf.blend(vb.rearrange(dn), lo);
        vb = a;
        up = UP[2];
        dn = DOWN[2];
        hi = HI[2];
        lo = LO[2];
        a = v0.blend(v2.rearrange(up), hi);
        v2 = v2.blend(v0.rearrange(dn), lo);
        v0 = a;
        a = v1.blend(v3.rearrange(up), hi);
        v3 = v3.blend(v1.rearrange(dn), lo);
        v1 = a;
        a = v4.blend(v6.rearrange(up), hi);
        v6 = v6.blend(v4.rearrange(dn), lo);
        v4 = a;
        a = v5.blend(v7.rearrange(up), hi);
        v7 = v7.blend(v5.rearrange(dn), lo);
        v5 = a;
        a = v8.blend(va.rearrange(up), hi);
        va = va.blend(v8.rearrange(dn), lo);
        v8 = a;
        a = v9.blend(vb.rearrange(up), hi);
        vb = vb.blend(v9.rearrange(dn), lo);
        v9 = a;
        a = vc.blend(ve.rearrange(up), hi);
        ve = ve.blend(vc.rearrange(dn), lo);
        vc = a;
        a = vd.blend(vf.rearrange(up), hi);
        vf = vf.blend(vd.rearrange(dn), lo);
        vd = a;
        up = UP[3];
        dn = DOWN[3];
        hi = HI[3];
        lo = LO[3];
        a = v0.blend(v1.rearrange(up), hi);
        v1 = v1.blend(v0.rearrange(dn), lo);
        v0 = a;
        a = v2.blend(v3.rearrange(up), hi);
        v3 = v3.blend(v2.rearrange(dn), lo);
        v2 = a;
        a = v4.blend(v5.rearrange(up), hi);
        v5 = v5.blend(v4.rearrange(dn), lo);
        v4 = a;
        a = v6.blend(v7.rearrange(up), hi);
        v7 = v7.blend(v6.rearrange(dn), lo);
        v6 = a;
        a = v8.blend(v9.rearrange(up), hi);
        v9 = v9.blend(v8.rearrange(dn), lo);
        v8 = a;
        a = va.blend(vb.rearrange(up), hi);
        vb = vb.blend(va.rearrange(dn), lo);
        va = a;
        a = vc.blend(vd.rearrange(up), hi);
        vd = vd.blend(vc.rearrange(dn), lo);
        vc = a;
        a = ve.blend(vf.rearrange(up), hi);
        vf = vf.blend(ve.rearrange(dn), lo);
        ve = a;
        v0.intoArray(dst, dO);
        v1.intoArray(dst, dO + ldd);
        v2.intoArray(dst, dO + 2 * ldd);
        v3.intoArray(dst, dO + 3 * ldd);
        v4.intoArray(dst, dO + 4 * ldd);
        v5.intoArray(dst, dO + 5 * ldd);
        v6.intoArray(dst, dO + 6 * ldd);
        v7.intoArray(dst, dO + 7 * ldd);
        v8.intoArray(dst, dO + 8 * ldd);
        v9.intoArray(dst, dO + 9 * ldd);
        va.intoArray(dst, dO + 10 * ldd);
        vb.intoArray(dst, dO + 11 * ldd);
        vc.intoArray(dst, dO + 12 * ldd);
        vd.intoArray(dst, dO + 13 * ldd);
        ve.intoArray(dst, dO + 14 * ldd);
        vf.intoArray(dst, dO + 15 * ldd);
    }
}
