package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.tensor.GruKernels;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.PackedMatrix;

/**
 * One GRU layer in one direction over a whole sequence, as a single autograd node: PyTorch's
 * {@code nn.GRU} recurrence (gate order {@code r, z, n})
 * <pre>
 *   r_t = sigmoid(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z_t = sigmoid(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
 *   h_t = (1 - z_t) * n_t + z_t * h_{t-1}
 * </pre>
 *
 * <p>Forward: the input projection {@code x W_ih^T + b_ih} of all {@code T} steps is one GEMM
 * (with {@code b_hr}, {@code b_hz} folded in; {@code b_hn} stays inside the product with
 * {@code r}); each step is one GEMM {@code h_{t-1} W_hh^T} for all three gates (W_hh packed once per
 * call, {@link Kernels#pack}) followed by one
 * fused pointwise pass ({@link GruKernels#forwardStep}) that computes the gates and the new state
 * and, only when a gradient is needed, stores {@code r, z, n, W_hn h + b_hn, h_{t-1}}.
 *
 * <p>Backward walks time in reverse, one pointwise pass ({@link GruKernels#backwardStep}) and one
 * GEMM {@code dh_{t-1} += dgh_t W_hh} per step, then computes over all steps at once
 * <pre>
 *   dX = dG_i W_ih      dW_ih = dG_i^T X      dW_hh = dG_h^T H_prev
 *   db_ih = sum of dG_i rows      db_hh = sum of dG_h rows
 * </pre>
 * where {@code dG_i}, {@code dG_h} are the {@code (T*B, 3H)} gradients of the input and recurrent
 * projections and {@code H_prev} the {@code (T*B, H)} previous states.
 *
 * <p>Variable lengths: sequence {@code b} runs only for {@code t < lengths[b]}, forward from
 * {@code t = 0} or, reversed, from {@code t = lengths[b] - 1} down to 0, reading and writing at
 * the original time index. Its output is zero past its length, its final state is the one after
 * its last step, and its padded inputs get zero gradient.
 */
public final class GruFunction extends RecurrentFunction {

    private GruFunction(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, int[] lengths,
                        boolean reverse, float[] ws) {
        super("GruBackward", x, h0, wIh, wHh, bIh, bHh, lengths, reverse, ws);
    }


    /**
     * Runs the layer.
     *
     * @param x the input sequence, time-major {@code (T, B, I)}
     * @param h0 the initial state {@code (B, H)}
     * @param wIh {@code weight_ih}, {@code (3H, I)}
     * @param wHh {@code weight_hh}, {@code (3H, H)}
     * @param bIh {@code bias_ih}, {@code (3H)}, or null
     * @param bHh {@code bias_hh}, {@code (3H)}, or null
     * @param lengths each sequence's length in {@code [0, T]}, or null when all are {@code T}
     * @param reverse run from each sequence's last valid step back to step 0
     * @return {@code {output (T, B, H), h_n (B, H)}}; output is zero past each length
     * @throws IllegalArgumentException naming the shapes when they do not fit together
     */
    public static Tensor[] apply(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                                 int[] lengths, boolean reverse) {
        checkShapes("GRU", 3, x, h0, wIh, wHh, bIh, bHh, lengths);
        int t = x.size(0);
        int b = x.size(1);
        int in = x.size(2);
        int h = wHh.size(1);
        int g3 = 3 * h;
        int rows = t * b;
        float[] rowBias = null;
        if (bIh != null || bHh != null) {
            // b_ir + b_hr and b_iz + b_hz are folded into the projection; b_hn stays inside r * (...)
            rowBias = new float[g3];
            if (bIh != null) {
                System.arraycopy(bIh.data(), 0, rowBias, 0, g3);
            }
            if (bHh != null) {
                float[] bh = bHh.data();
                for (int j = 0; j < 2 * h; j++) {
                    rowBias[j] += bh[j];
                }
            }
        }
        float[] gi = projectInputs(x, wIh, rowBias);

        boolean record = Node.isRecording(x, h0, wIh, wHh, bIh, bHh);
        int wsw = GruKernels.workspaceWidth(h);
        float[] ws = record ? new float[rows * wsw] : null;
        float[] state = h0.data().clone();
        float[] out = new float[rows * h];
        float[] gh = new float[b * g3];
        float[] bhh = bHh == null ? null : bHh.data();
        int[] lens = lengths == null ? null : lengths.clone();
        PackedMatrix whhT = Kernels.pack(true, h, g3, wHh.data(), 0, h);   // op(B) = W_hh^T, once per call
        for (int s = 0; s < t; s++) {
            int step = reverse ? t - 1 - s : s;
            Kernels.gemm(b, state, 0, h, whhT, 0f, gh, 0, g3);
            GruKernels.forwardStep(b, h, gi, step * b * g3, gh, 0, bhh, state, out, step * b * h,
                ws, step * b * wsw, lens, step);
        }
        whhT.release();
        int[] outShape = {t, b, h};
        int[] hShape = {b, h};
        if (!record) {
            return new Tensor[] {Tensor.wrap(out, outShape), Tensor.wrap(state, hShape)};
        }
        GruFunction node = new GruFunction(x, h0, wIh, wHh, bIh, bHh, lens, reverse, ws);
        return new Tensor[] {node.output(out, outShape, 0), node.output(state, hShape, 1)};
    }

    @Override
    protected float[][] backward(float[][] gradOutputs) {
        int t = steps;
        int b = batch;
        int h = hidden;
        int g3 = 3 * h;
        int rows = t * b;
        int wsw = GruKernels.workspaceWidth(h);
        float[] dOut = gradOutputs[0];
        float[] dh = gradOutputs[1] == null ? new float[b * h] : gradOutputs[1].clone();
        float[] dgi = new float[rows * g3];
        float[] dgh = new float[rows * g3];
        PackedMatrix whh = Kernels.pack(false, g3, h, recurrentWeight(), 0, h);
        for (int s = 0; s < t; s++) {
            int step = reverse ? s : t - 1 - s;
            GruKernels.backwardStep(b, h, dOut, step * b * h, dh, ws, step * b * wsw, dgi, step * b * g3,
                dgh, step * b * g3, lengths, step);
            if (s < t - 1 || needsGrad(1)) {
                Kernels.gemm(b, dgh, step * b * g3, g3, whh, 1f, dh, 0, h);
            }
        }
        whh.release();
        return inputGradients(dgi, dgh, 4 * h, wsw, dh);
    }

}
