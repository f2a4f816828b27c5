package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.VectorMicroKernels.L;
import static io.github.lstm4j.tensor.VectorMicroKernels.S;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;

/**
 * The pointwise part of one LSTM step, {@link LstmKernels}' contract on whole vectors: the
 * forward with {@link VectorMath}'s activations, the backward with exactly the scalar kernel's
 * operations in its order (so its results are the scalar kernel's bits).
 *
 * <p>The forward runs as short passes over the row ({@link VectorMath}'s passes: the recurrent
 * term added, each activation, the state update), so that every pass is compiled whole with all
 * its vector operations intrinsified, and no vector crosses a method boundary (where C2 may box
 * it); the row stays in L1 between passes. Its last, partial vector is copied into a scratch row
 * of whole vectors, so every element of a row goes through the same vector code whatever its
 * position. The backward's two loops are each a method of more than 325 bytecodes, which C2 never
 * inlines into a hot caller (FreqInlineSize), so each is compiled on its own as well.
 *
 * <p>This class must only be loaded when the {@code jdk.incubator.vector} module is present.
 */
final class VectorLstm {

    /** Floats of scratch {@link #forwardRow} needs for a row of {@code hidden}. */
    static int scratchSize(int hidden) {
        return 13 * L + 2 * hidden;
    }

    /**
     * {@link LstmKernels#forwardRow} with vector activations. Writes {@code gates} (the activations
     * replace the pre-activations), {@code c}, {@code tanhC}, {@code h} and {@code scratch} (at
     * least {@link #scratchSize} floats); reads {@code rec}, which may be null.
     */
    static void forwardRow(int hidden, float[] gates, int gOff, float[] rec, int rOff,
                           float[] c, int cOff, float[] tanhC, int tOff, float[] h, int hOff, float[] scratch) {
        int jv = S.loopBound(hidden);
        if (jv > 0) {
            forwardPasses(jv, gates, gOff, hidden, rec, rOff, hidden, c, cOff, tanhC, tOff, h, hOff, scratch, 0);
        }
        int rest = hidden - jv;
        if (rest == 0) {
            return;
        }
        // the last partial vector, padded with zeros: gates (4 L) | rec (4 L) | c | tanhC | h | exp (2 L)
        int base = 2 * hidden;
        Arrays.fill(scratch, base, base + 13 * L, 0f);
        for (int q = 0; q < 4; q++) {
            System.arraycopy(gates, gOff + q * hidden + jv, scratch, base + q * L, rest);
            if (rec != null) {
                System.arraycopy(rec, rOff + q * hidden + jv, scratch, base + (4 + q) * L, rest);
            }
        }
        System.arraycopy(c, cOff + jv, scratch, base + 8 * L, rest);
        forwardPasses(L, scratch, base, L, rec == null ? null : scratch, base + 4 * L, L, scratch, base + 8 * L,
                scratch, base + 9 * L, scratch, base + 10 * L, scratch, base + 11 * L);
        for (int q = 0; q < 4; q++) {
            System.arraycopy(scratch, base + q * L, gates, gOff + q * hidden + jv, rest);
        }
        System.arraycopy(scratch, base + 8 * L, c, cOff + jv, rest);
        System.arraycopy(scratch, base + 9 * L, tanhC, tOff + jv, rest);
        System.arraycopy(scratch, base + 10 * L, h, hOff + jv, rest);
    }

    /**
     * The forward passes over {@code n} columns (a multiple of L): gate blocks {@code gStride}
     * apart in {@code g}, {@code rStride} apart in {@code r} (null: nothing to add); {@code e} is scratch for {@code 2n}
     * floats. When the blocks are adjacent ({@code gStride == rStride == n}), the passes run over
     * several blocks at once.
     */
    private static void forwardPasses(int n, float[] g, int gi, int gStride, float[] r, int ri, int rStride,
                                      float[] c, int ci, float[] t, int ti, float[] h, int hi, float[] e, int ei) {
        boolean adjacent = gStride == n && rStride == n;
        if (adjacent) {
            if (r != null) {
                VectorMath.run(VectorMath.ADD, 4 * n, g, gi, r, ri, null, 0, 0);
            }
            VectorMath.sigmoid(2 * n, g, gi, g, gi, e, ei);                // i and f
        } else {
            for (int q = 0; q < 4 && r != null; q++) {
                VectorMath.run(VectorMath.ADD, n, g, gi + q * gStride, r, ri + q * rStride, null, 0, 0);
            }
            VectorMath.sigmoid(n, g, gi, g, gi, e, ei);
            VectorMath.sigmoid(n, g, gi + gStride, g, gi + gStride, e, ei);
        }
        VectorMath.tanh(n, g, gi + 2 * gStride, g, gi + 2 * gStride, e, ei);
        VectorMath.sigmoid(n, g, gi + 3 * gStride, g, gi + 3 * gStride, e, ei);
        VectorMath.run(VectorMath.CELL, n, g, gi, c, ci, null, 0, gStride);
        VectorMath.tanh(n, c, ci, t, ti, e, ei);
        VectorMath.run(VectorMath.MUL, n, g, gi + 3 * gStride, t, ti, h, hi, 0);
    }

    /**
     * {@link LstmKernels#backwardRow} on vectors, with the same operations in the same order, so
     * the same bits. Writes {@code dGates} and {@code dc}; reads the rest.
     */
    static void backwardRow(int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                            float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                            float[] dc, int dcOff, float[] dGates, int dgOff) {
        int jv = S.loopBound(hidden);
        if (dh2 == null) {
            backwardVectors(jv, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff, dh, dhOff, dc, dcOff, dGates, dgOff);
        } else {
            backwardVectors(jv, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff, dh, dhOff, dh2, dh2Off,
                    dc, dcOff, dGates, dgOff);
        }
        if (jv < hidden) {
            LstmKernels.backwardRange(jv, hidden, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff,
                    dh, dhOff, dh2, dh2Off, dc, dcOff, dGates, dgOff);
        }
    }

    /** The first {@code n} columns of {@link #backwardRow} with {@code dL/dh_t} in one part. */
    private static void backwardVectors(int n, int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                                        float[] cPrev, int cpOff, float[] dh, int dhOff,
                                        float[] dc, int dcOff, float[] dGates, int dgOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += L) {
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j);
            FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
            FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
            FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(S, tanhC, tOff + j);
            FloatVector dct = FloatVector.fromArray(S, dc, dcOff + j).add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, dgOff + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpOff + j)).mul(f).mul(one.sub(f))
                    .intoArray(dGates, dgOff + hidden + j);
            dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, dgOff + 2 * hidden + j);
            dhj.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, dgOff + 3 * hidden + j);
            dct.mul(f).intoArray(dc, dcOff + j);
        }
    }

    /**
     * The first {@code n} columns of {@link #backwardRow} with {@code dL/dh_t = dh + dh2} (the
     * loop repeated rather than a branch in it: C2 may box a vector merged from two branches).
     */
    private static void backwardVectors(int n, int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                                        float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                                        float[] dc, int dcOff, float[] dGates, int dgOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < n; j += L) {
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j).add(FloatVector.fromArray(S, dh2, dh2Off + j));
            FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
            FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
            FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(S, tanhC, tOff + j);
            FloatVector dct = FloatVector.fromArray(S, dc, dcOff + j).add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, dgOff + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpOff + j)).mul(f).mul(one.sub(f))
                    .intoArray(dGates, dgOff + hidden + j);
            dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, dgOff + 2 * hidden + j);
            dhj.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, dgOff + 3 * hidden + j);
            dct.mul(f).intoArray(dc, dcOff + j);
        }
    }
}
