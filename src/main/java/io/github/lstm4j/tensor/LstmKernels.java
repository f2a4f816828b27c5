package io.github.lstm4j.tensor;

/**
 * The pointwise part of one LSTM time step on raw {@code float[]} storage: the gate
 * nonlinearities and the state update fused in one pass, and its derivative. The matrix products
 * around it go through {@link Kernels#gemm}; this class knows nothing of autograd.
 *
 * <p>A row of gates holds {@code 4H} values in PyTorch's order {@code i, f, g, o} (input, forget,
 * cell candidate, output), each block {@code H} long. Every method works on one batch row, so
 * callers may skip rows (finished sequences of a packed batch) and place rows anywhere in their
 * buffers. Arguments are not validated: offsets and lengths are the caller's responsibility.
 */
public final class LstmKernels {

    private LstmKernels() {
    }

    /**
     * Forward of one step for one batch row:
     * <pre>
     *   (a_i, a_f, a_g, a_o) = gates + rec
     *   i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
     *   c_t = f * c_{t-1} + i * g
     *   h_t = o * tanh(c_t)
     * </pre>
     * The activations are {@link Activations#kernelSigmoid} and {@link Activations#kernelTanh},
     * except g, computed as {@code 2 sigmoid(2 a_g) - 1}: the same function, at most 1.8e-7 from
     * tanh over 20 million arguments against kernelTanh's 9e-8 (an absolute error, so near 0 a
     * larger relative one), so that the Vector API provider's one sigmoid pass covers all four
     * gates (32 rows of hidden 50: 3.4 instead of 4.15 us a step, measured). Every operation is
     * the one the Vector API provider does in its lanes, in the same order, so both providers
     * give the same bits.
     * Writes {@code gates} (the activations i, f, g, o replace the pre-activations, which is what
     * {@link #backwardRow} reads), {@code c} (c_{t-1} is replaced by c_t), {@code tanhC} and {@code h}.
     * Reads {@code rec}.
     *
     * @param hidden H
     * @param gates  {@code 4H} pre-activations without the recurrent term ({@code W_ih x + b_ih + b_hh}) at
     *               {@code gOff}; overwritten with the activations
     * @param rec    {@code 4H} recurrent term {@code W_hh h_{t-1}} at {@code rOff} (read), or null when
     *               {@code gates} already holds the whole pre-activations
     * @param c      {@code H} cell state at {@code cOff}: c_{t-1} in, c_t out
     * @param tanhC  receives {@code tanh(c_t)} ({@code H} values at {@code tOff})
     * @param h      receives {@code o * tanh(c_t)} ({@code H} values at {@code hOff}); the hidden state
     *               before any projection
     */
    public static void forwardRow(int hidden, float[] gates, int gOff, float[] rec, int rOff,
                                  float[] c, int cOff, float[] tanhC, int tOff, float[] h, int hOff) {
        int iOff = gOff;
        int fOff = gOff + hidden;
        int gg = gOff + 2 * hidden;
        int oOff = gOff + 3 * hidden;
        for (int j = 0; j < hidden; j++) {
            float ai = gates[iOff + j];
            float af = gates[fOff + j];
            float ag = gates[gg + j];
            float ao = gates[oOff + j];
            if (rec != null) {
                ai += rec[rOff + j];
                af += rec[rOff + hidden + j];
                ag += rec[rOff + 2 * hidden + j];
                ao += rec[rOff + 3 * hidden + j];
            }
            float i = Activations.kernelSigmoid(ai);
            float f = Activations.kernelSigmoid(af);
            float g = 2f * Activations.kernelSigmoid(2f * ag) - 1f;
            float o = Activations.kernelSigmoid(ao);
            gates[iOff + j] = i;
            gates[fOff + j] = f;
            gates[gg + j] = g;
            gates[oOff + j] = o;
            float ct = f * c[cOff + j] + i * g;
            float tc = Activations.kernelTanh(ct);
            c[cOff + j] = ct;
            tanhC[tOff + j] = tc;
            h[hOff + j] = o * tc;
        }
    }

    /**
     * Backward of {@link #forwardRow} for one batch row. With {@code dh = dL/dh_t} (the hidden state
     * before projection; the sum of {@code dh} and {@code dh2} when {@code dh2} is not null) and
     * {@code dc} holding {@code dL/dc_t} from the later steps:
     * <pre>
     *   dc_t  = dc + dh * o * (1 - tanh(c_t)^2)
     *   da_i  = dc_t * g * i (1 - i)
     *   da_f  = dc_t * c_{t-1} * f (1 - f)
     *   da_g  = dc_t * i * (1 - g^2)
     *   da_o  = dh * tanh(c_t) * o (1 - o)
     *   dc_{t-1} = dc_t * f
     * </pre>
     * Writes {@code dGates} (the pre-activation gradients {@code da}, order i, f, g, o) and
     * {@code dc} ({@code dL/dc_t} in, {@code dL/dc_{t-1}} out). Reads the rest.
     *
     * @param hidden H
     * @param gates  the {@code 4H} activations saved by {@link #forwardRow} at {@code gOff}
     * @param tanhC  {@code tanh(c_t)} at {@code tOff}
     * @param cPrev  {@code c_{t-1}} at {@code cpOff}
     * @param dh     {@code dL/dh_t} at {@code dhOff}
     * @param dh2    a second part of {@code dL/dh_t} at {@code dh2Off} (the output's gradient), or null
     * @param dc     {@code H} values at {@code dcOff}: {@code dL/dc_t} in, {@code dL/dc_{t-1}} out
     * @param dGates receives the {@code 4H} pre-activation gradients at {@code dgOff}
     */
    public static void backwardRow(int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                                   float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                                   float[] dc, int dcOff, float[] dGates, int dgOff) {
        backwardRange(0, hidden, hidden, gates, gOff, tanhC, tOff, cPrev, cpOff, dh, dhOff, dh2, dh2Off,
            dc, dcOff, dGates, dgOff);
    }

    /**
     * {@link #backwardRow} for the columns {@code [from, to)} of a row of {@code hidden}: the
     * reference arithmetic that the vector kernel repeats operation for operation.
     */
    static void backwardRange(int from, int to, int hidden, float[] gates, int gOff, float[] tanhC, int tOff,
                              float[] cPrev, int cpOff, float[] dh, int dhOff, float[] dh2, int dh2Off,
                              float[] dc, int dcOff, float[] dGates, int dgOff) {
        for (int j = from; j < to; j++) {
            float i = gates[gOff + j];
            float f = gates[gOff + hidden + j];
            float g = gates[gOff + 2 * hidden + j];
            float o = gates[gOff + 3 * hidden + j];
            float tc = tanhC[tOff + j];
            float dhj = dh2 == null ? dh[dhOff + j] : dh[dhOff + j] + dh2[dh2Off + j];
            float dct = dc[dcOff + j] + dhj * o * (1f - tc * tc);
            dGates[dgOff + j] = dct * g * i * (1f - i);
            dGates[dgOff + hidden + j] = dct * cPrev[cpOff + j] * f * (1f - f);
            dGates[dgOff + 2 * hidden + j] = dct * i * (1f - g * g);
            dGates[dgOff + 3 * hidden + j] = dhj * tc * o * (1f - o);
            dc[dcOff + j] = dct * f;
        }
    }

    /**
     * Recomputes the hidden state before projection, {@code r = o * tanh(c_t)}, from what
     * {@link #forwardRow} saved. Writes {@code r}; reads the rest.
     *
     * @param hidden H
     * @param gates  the {@code 4H} activations at {@code gOff} (o is the fourth block)
     * @param tanhC  {@code tanh(c_t)} at {@code tOff}
     * @param r      receives {@code H} values at {@code rOff}
     */
    public static void outputRow(int hidden, float[] gates, int gOff, float[] tanhC, int tOff, float[] r, int rOff) {
        int oOff = gOff + 3 * hidden;
        for (int j = 0; j < hidden; j++) {
            r[rOff + j] = gates[oOff + j] * tanhC[tOff + j];
        }
    }
}
