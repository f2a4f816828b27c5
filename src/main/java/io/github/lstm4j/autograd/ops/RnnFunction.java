package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.PackedMatrix;
import io.github.lstm4j.tensor.RnnKernels;

/**
 * One Elman RNN layer in one direction over a whole sequence, as a single autograd node:
 * PyTorch's {@code nn.RNN} recurrence
 * <pre>
 *   h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),   act = tanh or relu
 * </pre>
 *
 * <p>Forward: {@code x W_ih^T + b_ih + b_hh} for all {@code T} steps is one GEMM written straight
 * into the output array; each step adds {@code h_{t-1} W_hh^T} into its slice with one GEMM (W_hh
 * packed once per call, {@link Kernels#pack}) and
 * applies the nonlinearity in place ({@link RnnKernels#forwardStep}), keeping, only when a
 * gradient is needed, {@code act'(a_t)} and {@code h_{t-1}}.
 *
 * <p>Backward walks time in reverse: {@code da_t = (dout_t + dh_t) act'(a_t)} and
 * {@code dh_{t-1} = da_t W_hh} (one pointwise pass and one GEMM per step); then over all steps
 * at once
 * <pre>
 *   dX = dA W_ih     dW_ih = dA^T X     dW_hh = dA^T H_prev     db_ih = db_hh = sum of dA rows
 * </pre>
 *
 * <p>Variable lengths: sequence {@code b} runs only for {@code t < lengths[b]} (reversed: from
 * {@code lengths[b] - 1} down to 0); output is zero past its length, its final state is taken
 * after its last step and its padded inputs get zero gradient.
 */
public final class RnnFunction extends RecurrentFunction {

    private RnnFunction(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, int[] lengths,
                        boolean reverse, float[] ws) {
        super("RnnBackward", x, h0, wIh, wHh, bIh, bHh, lengths, reverse, ws);
    }


    /**
     * Runs the layer.
     *
     * @param x the input sequence, time-major {@code (T, B, I)}
     * @param h0 the initial state {@code (B, H)}
     * @param wIh {@code weight_ih}, {@code (H, I)}
     * @param wHh {@code weight_hh}, {@code (H, H)}
     * @param bIh {@code bias_ih}, {@code (H)}, or null
     * @param bHh {@code bias_hh}, {@code (H)}, or null
     * @param relu the nonlinearity: relu when true, tanh when false
     * @param lengths each sequence's length in {@code [0, T]}, or null when all are {@code T}
     * @param reverse run from each sequence's last valid step back to step 0
     * @return {@code {output (T, B, H), h_n (B, H)}}; output is zero past each length
     * @throws IllegalArgumentException naming the shapes when they do not fit together
     */
    public static Tensor[] apply(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                                 boolean relu, int[] lengths, boolean reverse) {
        checkShapes(relu ? "RNN_RELU" : "RNN_TANH", 1, x, h0, wIh, wHh, bIh, bHh, lengths);
        int t = x.size(0);
        int b = x.size(1);
        int in = x.size(2);
        int h = wHh.size(1);
        int rows = t * b;
        float[] rowBias = null;
        if (bIh != null || bHh != null) {
            rowBias = new float[h];
            for (Tensor bias : new Tensor[] {bIh, bHh}) {
                if (bias != null) {
                    float[] bd = bias.data();
                    for (int j = 0; j < h; j++) {
                        rowBias[j] += bd[j];
                    }
                }
            }
        }
        float[] out = projectInputs(x, wIh, rowBias);

        boolean record = Node.isRecording(x, h0, wIh, wHh, bIh, bHh);
        int wsw = RnnKernels.workspaceWidth(h);
        float[] ws = record ? new float[rows * wsw] : null;
        float[] state = h0.data().clone();
        int[] lens = lengths == null ? null : lengths.clone();
        PackedMatrix whhT = Kernels.pack(true, h, h, wHh.data(), 0, h);   // op(B) = W_hh^T, once per call
        for (int s = 0; s < t; s++) {
            int step = reverse ? t - 1 - s : s;
            Kernels.gemm(b, state, 0, h, whhT, 1f, out, step * b * h, h);
            RnnKernels.forwardStep(b, h, relu, out, step * b * h, state, ws, step * b * wsw, lens, step);
        }
        whhT.release();
        int[] outShape = {t, b, h};
        int[] hShape = {b, h};
        if (!record) {
            return new Tensor[] {Tensor.wrap(out, outShape), Tensor.wrap(state, hShape)};
        }
        RnnFunction node = new RnnFunction(x, h0, wIh, wHh, bIh, bHh, lens, reverse, ws);
        return new Tensor[] {node.output(out, outShape, 0), node.output(state, hShape, 1)};
    }

    @Override
    protected float[][] backward(float[][] gradOutputs) {
        int t = steps;
        int b = batch;
        int h = hidden;
        int rows = t * b;
        int wsw = RnnKernels.workspaceWidth(h);
        float[] dOut = gradOutputs[0];
        float[] dh = gradOutputs[1] == null ? new float[b * h] : gradOutputs[1].clone();
        float[] da = new float[rows * h];
        PackedMatrix whh = Kernels.pack(false, h, h, recurrentWeight(), 0, h);
        for (int s = 0; s < t; s++) {
            int step = reverse ? s : t - 1 - s;
            RnnKernels.backwardStep(b, h, dOut, step * b * h, dh, ws, step * b * wsw, da, step * b * h, lengths,
                step);
            if (s < t - 1 || needsGrad(1)) {
                Kernels.gemm(b, da, step * b * h, h, whh, 1f, dh, 0, h);
            }
        }
        whh.release();
        return inputGradients(da, da, h, wsw, dh);
    }

}
