package io.github.lstm4j.tensor;

import java.util.Arrays;

/**
 * The pointwise part of one GRU time step, forward and backward, on raw arrays: what runs between
 * the matrix products of a fused GRU layer. Gate order and math are PyTorch's ({@code r, z, n}):
 * <pre>
 *   r  = sigmoid(gi_r + gh_r)
 *   z  = sigmoid(gi_z + gh_z)
 *   hn = gh_n + b_hn
 *   n  = tanh(gi_n + r * hn)
 *   h' = (1 - z) * n + z * h  =  n + z * (h - n)
 * </pre>
 * where {@code gi = W_ih x + b_ih} (with {@code b_hr}, {@code b_hz} folded into its {@code r} and
 * {@code z} blocks) and {@code gh = W_hh h} (no bias: {@code b_hn} has to stay inside the
 * product with {@code r}, so it is added here).
 *
 * <p>Rows are laid out per sequence of the batch: a gate row has {@code 3H} floats ({@code r},
 * {@code z}, {@code n} blocks), a state row {@code H}, a workspace row {@link #workspaceWidth}
 * floats holding {@code r, z, n, hn, h} (the previous state), which is exactly what
 * {@link #backwardStep} reads.
 *
 * <p>Sequences of different lengths: sequence {@code b} takes part in step {@code t} only when
 * {@code lengths == null || t < lengths[b]}; otherwise its rows are skipped as documented per
 * method. Both directions use that rule; only the order of {@code t} differs.
 */
public final class GruKernels {

    private GruKernels() {
    }

    /** Workspace floats per sequence and step: {@code r, z, n, hn, h_prev}, {@code H} each. */
    public static int workspaceWidth(int hidden) {
        return 5 * hidden;
    }

    /** Whether sequence {@code b} takes part in step {@code t}. */
    static boolean active(int[] lengths, int b, int t) {
        return lengths == null || t < lengths[b];
    }

    /**
     * Gates and new state of one step for every sequence of the batch.
     *
     * <p>Writes {@code h} (active rows become {@code h'}, inactive rows keep their value),
     * {@code out} (active rows {@code h'}, inactive rows 0) and, when not null, {@code ws} (active
     * rows only). Reads {@code gi}, {@code gh} and {@code bHh}.
     *
     * @param batch sequences {@code B}
     * @param hidden hidden size {@code H}
     * @param gi input projections with biases, {@code B} rows of {@code 3H} from {@code giOff}
     * @param gh recurrent projections without bias, {@code B} rows of {@code 3H} from {@code ghOff}
     * @param bHh the recurrent bias {@code (3H)} whose {@code n} block (from {@code 2H}) is read, or null
     * @param h the state {@code (B, H)}: {@code h_{t-1}} in, {@code h_t} out
     * @param out the step's output, {@code B} rows of {@code H} from {@code outOff}
     * @param ws the workspace for backward, {@code B} rows of {@link #workspaceWidth} from
     *     {@code wsOff}, or null when no gradient is needed
     * @param lengths per-sequence lengths or null
     * @param t the time index of this step
     */
    public static void forwardStep(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                                   float[] bHh, float[] h, float[] out, int outOff, float[] ws, int wsOff,
                                   int[] lengths, int t) {
        int g3 = 3 * hidden;
        int wsw = workspaceWidth(hidden);
        for (int b = 0; b < batch; b++) {
            int hRow = b * hidden;
            int oRow = outOff + hRow;
            if (!active(lengths, b, t)) {
                Arrays.fill(out, oRow, oRow + hidden, 0f);
                continue;
            }
            int iRow = giOff + b * g3;
            int rRow = ghOff + b * g3;
            int wRow = wsOff + b * wsw;
            for (int j = 0; j < hidden; j++) {
                float r = Activations.sigmoid(gi[iRow + j] + gh[rRow + j]);
                float z = Activations.sigmoid(gi[iRow + hidden + j] + gh[rRow + hidden + j]);
                float hn = gh[rRow + 2 * hidden + j] + (bHh == null ? 0f : bHh[2 * hidden + j]);
                float n = Activations.tanh(gi[iRow + 2 * hidden + j] + r * hn);
                float hp = h[hRow + j];
                float hNew = n + z * (hp - n);
                h[hRow + j] = hNew;
                out[oRow + j] = hNew;
                if (ws != null) {
                    ws[wRow + j] = r;
                    ws[wRow + hidden + j] = z;
                    ws[wRow + 2 * hidden + j] = n;
                    ws[wRow + 3 * hidden + j] = hn;
                    ws[wRow + 4 * hidden + j] = hp;
                }
            }
        }
    }

    /**
     * Gradients of one step's gate pre-activations from the gradient of its new state
     * {@code g = dOut + dh}:
     * <pre>
     *   dn_pre = g (1 - z) (1 - n^2)        dz_pre = g (h - n) z (1 - z)
     *   dr_pre = dn_pre hn r (1 - r)        dhn    = dn_pre r
     *   dgi = [dr_pre, dz_pre, dn_pre]      dgh    = [dr_pre, dz_pre, dhn]
     *   dh  = g z   (the direct part of dL/dh_{t-1}; the caller adds dgh W_hh)
     * </pre>
     *
     * <p>Writes, for active rows only, {@code dgi}, {@code dgh} and {@code dh}; inactive rows of
     * {@code dh} keep the gradient carried past the step, and their {@code dgi}/{@code dgh} rows
     * are not touched (the caller passes zeroed arrays). Reads {@code dOut} and {@code ws}.
     *
     * @param dOut the gradient of the step's output, {@code B} rows of {@code H} from {@code dOutOff}, or null (zero)
     * @param dh the gradient of the new state, {@code (B, H)}; replaced by the direct part of the
     *     gradient of the previous state for active rows
     * @param ws the workspace {@link #forwardStep} filled for this step
     * @param dgi gradient of {@code gi}, {@code B} rows of {@code 3H} from {@code dgiOff}
     * @param dgh gradient of {@code gh + [0, 0, b_hn]}, {@code B} rows of {@code 3H} from {@code dghOff}
     */
    public static void backwardStep(int batch, int hidden, float[] dOut, int dOutOff, float[] dh, float[] ws,
                                    int wsOff, float[] dgi, int dgiOff, float[] dgh, int dghOff,
                                    int[] lengths, int t) {
        int g3 = 3 * hidden;
        int wsw = workspaceWidth(hidden);
        for (int b = 0; b < batch; b++) {
            if (!active(lengths, b, t)) {
                continue;
            }
            int hRow = b * hidden;
            int wRow = wsOff + b * wsw;
            int iRow = dgiOff + b * g3;
            int rRow = dghOff + b * g3;
            for (int j = 0; j < hidden; j++) {
                float g = dh[hRow + j] + (dOut == null ? 0f : dOut[dOutOff + hRow + j]);
                float r = ws[wRow + j];
                float z = ws[wRow + hidden + j];
                float n = ws[wRow + 2 * hidden + j];
                float hn = ws[wRow + 3 * hidden + j];
                float hp = ws[wRow + 4 * hidden + j];
                float dnPre = g * (1f - z) * (1f - n * n);
                float dzPre = g * (hp - n) * z * (1f - z);
                float drPre = dnPre * hn * r * (1f - r);
                dgi[iRow + j] = drPre;
                dgi[iRow + hidden + j] = dzPre;
                dgi[iRow + 2 * hidden + j] = dnPre;
                dgh[rRow + j] = drPre;
                dgh[rRow + hidden + j] = dzPre;
                dgh[rRow + 2 * hidden + j] = dnPre * r;
                dh[hRow + j] = g * z;
            }
        }
    }
}
