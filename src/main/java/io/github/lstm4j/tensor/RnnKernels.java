package io.github.lstm4j.tensor;

import java.util.Arrays;

/**
 * The pointwise part of one Elman RNN time step, forward and backward, on raw arrays:
 * <pre>
 *   h' = act(a),   a = W_ih x + b_ih + W_hh h + b_hh,   act = tanh or relu
 * </pre>
 * The caller computes the pre-activation {@code a} with GEMMs; these kernels apply the
 * nonlinearity and keep its derivative, so backward does not depend on which one it was:
 * {@code tanh'(a) = 1 - h'^2}, {@code relu'(a) = [h' > 0]} (PyTorch's convention at 0).
 *
 * <p>A workspace row ({@link #workspaceWidth} floats per sequence and step) holds
 * {@code act'(a)} and then {@code h_{t-1}}, exactly what backward reads. Sequence {@code b} takes
 * part in step {@code t} only when {@code lengths == null || t < lengths[b]}.
 */
public final class RnnKernels {

    private RnnKernels() {
    }

    /** Workspace floats per sequence and step: {@code act'(a)} then {@code h_prev}, {@code H} each. */
    public static int workspaceWidth(int hidden) {
        return 2 * hidden;
    }

    /**
     * Applies the nonlinearity in place and advances the state.
     *
     * <p>Writes {@code y} (active rows {@code act(a)}, inactive rows 0), {@code h} (active rows
     * become {@code h'}, inactive rows keep their value) and, when not null, {@code ws} (active rows).
     *
     * @param batch sequences {@code B}
     * @param hidden hidden size {@code H}
     * @param relu true for relu, false for tanh
     * @param y {@code B} rows of {@code H} from {@code yOff}: the pre-activation in, the step's output out
     * @param h the state {@code (B, H)}: {@code h_{t-1}} in, {@code h_t} out
     * @param ws the workspace, {@code B} rows of {@link #workspaceWidth} from {@code wsOff}, or null
     * @param lengths per-sequence lengths or null
     * @param t the time index of this step
     */
    public static void forwardStep(int batch, int hidden, boolean relu, float[] y, int yOff, float[] h,
                                   float[] ws, int wsOff, int[] lengths, int t) {
        int wsw = workspaceWidth(hidden);
        for (int b = 0; b < batch; b++) {
            int hRow = b * hidden;
            int yRow = yOff + hRow;
            if (lengths != null && t >= lengths[b]) {
                Arrays.fill(y, yRow, yRow + hidden, 0f);
                continue;
            }
            int wRow = wsOff + b * wsw;
            for (int j = 0; j < hidden; j++) {
                float a = y[yRow + j];
                float v;
                float d;
                if (relu) {
                    v = a <= 0f ? 0f : a;   // keeps NaN, as PyTorch's relu
                    d = v > 0f ? 1f : 0f;
                } else {
                    v = Activations.tanh(a);
                    d = 1f - v * v;
                }
                if (ws != null) {
                    ws[wRow + j] = d;
                    ws[wRow + hidden + j] = h[hRow + j];
                }
                y[yRow + j] = v;
                h[hRow + j] = v;
            }
        }
    }

    /**
     * Gradient of one step's pre-activation from the gradient of its new state
     * {@code g = dOut + dh}: {@code da = g * act'(a)}. The caller then adds {@code da W_hh} into
     * {@code dh} to get {@code dL/dh_{t-1}}.
     *
     * <p>Writes, for active rows only, {@code da} and {@code dh} (set to 0, ready for the GEMM to
     * accumulate into); inactive rows of {@code dh} keep the gradient carried past the step and
     * their {@code da} rows are not touched (the caller passes a zeroed array). Reads {@code dOut}
     * and {@code ws}.
     *
     * @param dOut the gradient of the step's output, {@code B} rows of {@code H} from {@code dOutOff}, or null (zero)
     * @param dh the gradient of the new state {@code (B, H)}
     * @param ws the workspace {@link #forwardStep} filled for this step
     * @param da the pre-activation gradient, {@code B} rows of {@code H} from {@code daOff}
     */
    public static void backwardStep(int batch, int hidden, float[] dOut, int dOutOff, float[] dh, float[] ws,
                                    int wsOff, float[] da, int daOff, int[] lengths, int t) {
        int wsw = workspaceWidth(hidden);
        for (int b = 0; b < batch; b++) {
            if (lengths != null && t >= lengths[b]) {
                continue;
            }
            int hRow = b * hidden;
            int wRow = wsOff + b * wsw;
            int aRow = daOff + hRow;
            for (int j = 0; j < hidden; j++) {
                float g = dh[hRow + j] + (dOut == null ? 0f : dOut[dOutOff + hRow + j]);
                da[aRow + j] = g * ws[wRow + j];
                dh[hRow + j] = 0f;
            }
        }
    }
}
