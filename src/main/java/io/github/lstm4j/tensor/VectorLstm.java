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

    /** Floats of scratch {@link #forward} needs for {@code rows} rows of {@code hidden}. */
    static int scratchSize(int rows, int hidden) {
        return rows * (6 * hidden + 13 * L);
    }

    /**
     * {@link LstmKernels#forwardRow} with vector activations, for {@code rows} rows, row
     * {@code r} of an operand starting at its offset plus {@code r} times its stride. Writes
     * {@code gates} (the activations replace the pre-activations), {@code c}, {@code tanhC},
     * {@code h} and {@code scratch} (at least {@link #scratchSize} floats); reads {@code rec},
     * which may be null.
     */
    static void forward(int rows, int hidden, float[] gates, int gOff, int gRow, float[] rec, int rOff, int rRow,
                        float[] c, int cOff, int cRow, float[] tanhC, int tOff, int tRow,
                        float[] h, int hOff, int hRow, float[] scratch) {
        int jv = S.loopBound(hidden);
        if (gRow == 4 * hidden && (rec == null || rRow == 4 * hidden) && cRow == hidden && tRow == hidden
                && hRow == hidden && jv < hidden) {
            forwardContiguous(rows, hidden, jv, gates, gOff, rec, rOff, c, cOff, tanhC, tOff, h, hOff, scratch);
            return;
        }
        if (jv > 0) {
            forwardPasses(rows, jv, gates, gOff, gRow, hidden, rec, rOff, rRow, hidden, c, cOff, cRow,
                    tanhC, tOff, tRow, h, hOff, hRow, scratch, 0, 2 * jv);
        }
        int rest = hidden - jv;
        if (rest == 0) {
            return;
        }
        // the last partial vector of every row, padded with zeros, one scratch row each:
        // gates (4 L) | rec (4 L) | c | tanhC | h, then 2 L of exp scratch per row after them all
        int base = rows * 2 * hidden;
        int w = 11 * L;
        int eBase = base + rows * w;
        Arrays.fill(scratch, base, eBase, 0f);
        for (int r = 0; r < rows; r++) {
            int sr = base + r * w;
            for (int q = 0; q < 4; q++) {
                copy(gates, gOff + r * gRow + q * hidden + jv, scratch, sr + q * L, rest);
                if (rec != null) {
                    copy(rec, rOff + r * rRow + q * hidden + jv, scratch, sr + (4 + q) * L, rest);
                }
            }
            copy(c, cOff + r * cRow + jv, scratch, sr + 8 * L, rest);
        }
        forwardPasses(rows, L, scratch, base, w, L, rec == null ? null : scratch, base + 4 * L, w, L,
                scratch, base + 8 * L, w, scratch, base + 9 * L, w, scratch, base + 10 * L, w, scratch, eBase, 2 * L);
        for (int r = 0; r < rows; r++) {
            int sr = base + r * w;
            for (int q = 0; q < 4; q++) {
                copy(scratch, sr + q * L, gates, gOff + r * gRow + q * hidden + jv, rest);
            }
            copy(scratch, sr + 8 * L, c, cOff + r * cRow + jv, rest);
            copy(scratch, sr + 9 * L, tanhC, tOff + r * tRow + jv, rest);
            copy(scratch, sr + 10 * L, h, hOff + r * hRow + jv, rest);
        }
    }

    /**
     * {@link #forward} when every operand's rows follow each other without a gap (the layout of
     * {@code LstmFunction}) and {@code hidden} is not a multiple of L: the activations and
     * {@code tanh(c)} run as single passes over all the rows at once, which leaves one partial
     * vector per call instead of one per gate and row (hidden 50: 48 columns a row on vectors
     * and 2 through a padded scratch row before). The cell candidate is
     * {@code g = tanh(a) = 2 sigmoid(2a) - 1} (see {@link LstmKernels#forwardRow}), so one sigmoid
     * pass covers all four gates: the g block is doubled (exactly) first, and the cell update
     * turns its sigmoid into g. What is left over at the end of a pass, and the last
     * {@code hidden - jv} columns of each row in the doubling, the cell and the output updates, go
     * through {@link Activations}' scalar copies of the passes and plain float operations, which
     * give the same bits.
     */
    private static void forwardContiguous(int rows, int hidden, int jv, float[] gates, int gOff, float[] rec, int rOff,
                                          float[] c, int cOff, float[] tanhC, int tOff, float[] h, int hOff,
                                          float[] scratch) {
        int n4 = rows * 4 * hidden;
        int n1 = rows * hidden;
        int v4 = S.loopBound(n4);
        int v1 = S.loopBound(n1);
        // scratch: e (n4)
        if (rec != null) {
            VectorMath.run(VectorMath.ADD, 1, v4, gates, gOff, 0, rec, rOff, 0, null, 0, 0, 0);
            for (int j = v4; j < n4; j++) {
                gates[gOff + j] += rec[rOff + j];
            }
        }
        // the g block doubled as g + g (exact)
        int gg = gOff + 2 * hidden;
        VectorMath.run(VectorMath.ADD, rows, jv, gates, gg, 4 * hidden, gates, gg, 4 * hidden, null, 0, 0, 0);
        for (int r = 0; r < rows; r++) {
            int g0 = gg + r * 4 * hidden;
            for (int j = jv; j < hidden; j++) {
                gates[g0 + j] += gates[g0 + j];
            }
        }
        VectorMath.sigmoid(1, v4, gates, gOff, 0, gates, gOff, 0, scratch, 0, 0);
        for (int j = v4; j < n4; j++) {
            gates[gOff + j] = Activations.kernelSigmoid(gates[gOff + j]);
        }
        // g = 2 sigmoid(2a) - 1 over the sigmoid, then c = f * c + i * g, row by row (i, f and g
        // of a row are hidden apart)
        VectorMath.run(VectorMath.CELL, rows, jv, gates, gOff, 4 * hidden, c, cOff, hidden, null, 0, 0, hidden);
        for (int r = 0; r < rows; r++) {
            int g0 = gOff + r * 4 * hidden;
            for (int j = jv; j < hidden; j++) {
                float g = 2f * gates[g0 + 2 * hidden + j] - 1f;
                gates[g0 + 2 * hidden + j] = g;
                c[cOff + r * hidden + j] = gates[g0 + hidden + j] * c[cOff + r * hidden + j] + gates[g0 + j] * g;
            }
        }
        VectorMath.tanh(1, v1, c, cOff, 0, tanhC, tOff, 0, scratch, 0, 0);
        for (int j = v1; j < n1; j++) {
            tanhC[tOff + j] = Activations.kernelTanh(c[cOff + j]);
        }
        // h = o * tanh(c)
        VectorMath.run(VectorMath.MUL, rows, jv, gates, gOff + 3 * hidden, 4 * hidden, tanhC, tOff, hidden,
                h, hOff, hidden, 0);
        for (int r = 0; r < rows; r++) {
            int o0 = gOff + r * 4 * hidden + 3 * hidden;
            for (int j = jv; j < hidden; j++) {
                h[hOff + r * hidden + j] = gates[o0 + j] * tanhC[tOff + r * hidden + j];
            }
        }
    }

    /** A copy of fewer than L floats: a loop, cheaper than a call to arraycopy at this size. */
    private static void copy(float[] src, int si, float[] dst, int di, int n) {
        for (int k = 0; k < n; k++) {
            dst[di + k] = src[si + k];
        }
    }

    /**
     * The forward passes over {@code rows} rows of {@code n} columns (a multiple of L): row
     * strides {@code gRow}, {@code rRow}, ...; gate blocks {@code gBlock} apart in {@code g} and
     * {@code rBlock} apart in {@code r} (null: nothing to add); {@code e} is scratch for
     * {@code 2n} floats per row. When the blocks are adjacent ({@code gBlock == rBlock == n}), a
     * pass covers several blocks at once.
     */
    private static void forwardPasses(int rows, int n, float[] g, int gi, int gRow, int gBlock,
                                      float[] r, int ri, int rRow, int rBlock, float[] c, int ci, int cRow,
                                      float[] t, int ti, int tRow, float[] h, int hi, int hRow,
                                      float[] e, int ei, int eRow) {
        boolean adjacent = gBlock == n && rBlock == n;
        if (adjacent) {
            if (r != null) {
                VectorMath.run(VectorMath.ADD, rows, 4 * n, g, gi, gRow, r, ri, rRow, null, 0, 0, 0);
            }
            VectorMath.sigmoid(rows, 2 * n, g, gi, gRow, g, gi, gRow, e, ei, eRow);        // i and f
        } else {
            for (int q = 0; q < 4 && r != null; q++) {
                VectorMath.run(VectorMath.ADD, rows, n, g, gi + q * gBlock, gRow, r, ri + q * rBlock, rRow,
                        null, 0, 0, 0);
            }
            VectorMath.sigmoid(rows, n, g, gi, gRow, g, gi, gRow, e, ei, eRow);
            VectorMath.sigmoid(rows, n, g, gi + gBlock, gRow, g, gi + gBlock, gRow, e, ei, eRow);
        }
        int gg = gi + 2 * gBlock;
        int go = gi + 3 * gBlock;
        VectorMath.sigmoidOfTwice(rows, n, g, gg, gRow, g, gg, gRow, e, ei, eRow);   // CELL makes it g
        VectorMath.sigmoid(rows, n, g, go, gRow, g, go, gRow, e, ei, eRow);
        VectorMath.run(VectorMath.CELL, rows, n, g, gi, gRow, c, ci, cRow, null, 0, 0, gBlock);
        VectorMath.tanh(rows, n, c, ci, cRow, t, ti, tRow, e, ei, eRow);
        VectorMath.run(VectorMath.MUL, rows, n, g, go, gRow, t, ti, tRow, h, hi, hRow, 0);
    }

    /**
     * {@link LstmKernels#backwardRow} on vectors, with the same operations in the same order, so
     * the same bits. Writes {@code dGates} and {@code dc}; reads the rest.
     */
    static void backwardRow(int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                            float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                            float[] dc, int dcOff, float[] dGates, int dgOff) {
        int jv = S.loopBound(hidden);
        if (hidden >= L) {
            // the columns past the last whole vector are computed as the vector ending at the
            // last column, which overlaps the one before it (see backwardVectors)
            if (dh2 == null) {
                backwardVectors(jv, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff, dh, dhOff, dc, dcOff, dGates, dgOff);
            } else {
                backwardVectors(jv, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff, dh, dhOff, dh2, dh2Off,
                        dc, dcOff, dGates, dgOff);
            }
            return;
        }
        if (jv < hidden) {
            LstmKernels.backwardRange(jv, hidden, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff,
                    dh, dhOff, dh2, dh2Off, dc, dcOff, dGates, dgOff);
        }
    }

    /**
     * {@link #backwardRow} with {@code dL/dh_t} in one part, {@code hidden >= L}: the whole
     * vectors of the first {@code n} columns, then, when {@code n < hidden}, the vector ending at
     * column {@code hidden}, which overlaps the last one. Its lanes below {@code n} are computed
     * again from the same inputs (dc as it was before the loop, held in a register), so they are
     * stored again with the same bits: 1.49 -> 1.16 us for 32 rows of hidden size 50 (a probe), against two
     * scalar columns a row before.
     */
    private static void backwardVectors(int n, int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                                        float[] cPrev, int cpOff, float[] dh, int dhOff,
                                        float[] dc, int dcOff, float[] dGates, int dgOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int last = hidden - L;
        FloatVector dcLast = FloatVector.fromArray(S, dc, dcOff + last);
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
        if (n < hidden) {
            // the vector ending at the last column, from dc as it was before the loop (held in
            // dcLast): its lanes below n get the values the loop gave them again, the same bits
            int j = last;
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j);
            FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
            FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
            FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(S, tanhC, tOff + j);
            FloatVector dct = dcLast.add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, dgOff + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpOff + j)).mul(f).mul(one.sub(f))
                    .intoArray(dGates, dgOff + hidden + j);
            dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, dgOff + 2 * hidden + j);
            dhj.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, dgOff + 3 * hidden + j);
            dct.mul(f).intoArray(dc, dcOff + j);
        }
    }

    /**
     * {@link #backwardVectors} with {@code dL/dh_t = dh + dh2} (the
     * loop repeated rather than a branch in it: C2 may box a vector merged from two branches).
     */
    private static void backwardVectors(int n, int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                                        float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                                        float[] dc, int dcOff, float[] dGates, int dgOff) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int last = hidden - L;
        FloatVector dcLast = FloatVector.fromArray(S, dc, dcOff + last);
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
        if (n < hidden) {
            // the vector ending at the last column, from dc as it was before the loop (held in
            // dcLast): its lanes below n get the values the loop gave them again, the same bits
            int j = last;
            FloatVector dhj = FloatVector.fromArray(S, dh, dhOff + j).add(FloatVector.fromArray(S, dh2, dh2Off + j));
            FloatVector i = FloatVector.fromArray(S, gates, gOff + j);
            FloatVector f = FloatVector.fromArray(S, gates, gOff + hidden + j);
            FloatVector g = FloatVector.fromArray(S, gates, gOff + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, gates, gOff + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(S, tanhC, tOff + j);
            FloatVector dct = dcLast.add(dhj.mul(o).mul(one.sub(tc.mul(tc))));
            dct.mul(g).mul(i).mul(one.sub(i)).intoArray(dGates, dgOff + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpOff + j)).mul(f).mul(one.sub(f))
                    .intoArray(dGates, dgOff + hidden + j);
            dct.mul(i).mul(one.sub(g.mul(g))).intoArray(dGates, dgOff + 2 * hidden + j);
            dhj.mul(tc).mul(o).mul(one.sub(o)).intoArray(dGates, dgOff + 3 * hidden + j);
            dct.mul(f).intoArray(dc, dcOff + j);
        }
    }
}
