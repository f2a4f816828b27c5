package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.GruKernels;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

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
 * {@code r}); each step is one GEMM {@code h_{t-1} W_hh^T} for all three gates followed by one
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
public final class GruFunction extends Node {

    private final int steps;
    private final int batch;
    private final int inputSize;
    private final int hidden;
    private final int[] lengths;
    private final boolean reverse;
    private Saved x;
    private Saved wIh;
    private Saved wHh;
    /** {@code (T, B, 5H)}: r, z, n, hn, h_prev per step and sequence. */
    private float[] ws;

    private GruFunction(Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, int[] lengths,
                        boolean reverse) {
        super(2, x, h0, wIh, wHh, bIh, bHh);
        this.steps = x.size(0);
        this.batch = x.size(1);
        this.inputSize = x.size(2);
        this.hidden = wHh.size(1);
        this.lengths = lengths;
        this.reverse = reverse;
        this.x = needsGrad(2) ? Saved.of(x, "GruBackward") : null;
        this.wIh = needsGrad(0) ? Saved.of(wIh, "GruBackward") : null;
        this.wHh = Saved.of(wHh, "GruBackward");
    }

    @Override
    public String name() {
        return "GruBackward";
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
        float[] gi = new float[rows * g3];
        float beta = 0f;
        if (bIh != null || bHh != null) {
            float[] rowBias = new float[g3];
            if (bIh != null) {
                System.arraycopy(bIh.data(), 0, rowBias, 0, g3);
            }
            if (bHh != null) {
                float[] bh = bHh.data();
                for (int j = 0; j < 2 * h; j++) {
                    rowBias[j] += bh[j];
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(rowBias, 0, gi, r * g3, g3);
            }
            beta = 1f;
        }
        Kernels.gemm(false, true, rows, g3, in, x.data(), 0, in, wIh.data(), 0, in, beta, gi, 0, g3);

        boolean record = Node.isRecording(x, h0, wIh, wHh, bIh, bHh);
        int wsw = GruKernels.workspaceWidth(h);
        float[] ws = record ? new float[rows * wsw] : null;
        float[] state = h0.data().clone();
        float[] out = new float[rows * h];
        float[] gh = new float[b * g3];
        float[] whh = wHh.data();
        float[] bhh = bHh == null ? null : bHh.data();
        int[] lens = lengths == null ? null : lengths.clone();
        for (int s = 0; s < t; s++) {
            int step = reverse ? t - 1 - s : s;
            Kernels.gemm(false, true, b, g3, h, state, 0, h, whh, 0, h, 0f, gh, 0, g3);
            GruKernels.forwardStep(b, h, gi, step * b * g3, gh, 0, bhh, state, out, step * b * h,
                ws, step * b * wsw, lens, step);
        }
        int[] outShape = {t, b, h};
        int[] hShape = {b, h};
        if (!record) {
            return new Tensor[] {Tensor.wrap(out, outShape), Tensor.wrap(state, hShape)};
        }
        GruFunction node = new GruFunction(x, h0, wIh, wHh, bIh, bHh, lens, reverse);
        node.ws = ws;
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
        float[] whh = wHh.data();
        for (int s = 0; s < t; s++) {
            int step = reverse ? s : t - 1 - s;
            GruKernels.backwardStep(b, h, dOut, step * b * h, dh, ws, step * b * wsw, dgi, step * b * g3,
                dgh, step * b * g3, lengths, step);
            if (s < t - 1 || needsGrad(1)) {
                Kernels.gemm(false, false, b, h, g3, dgh, step * b * g3, g3, whh, 0, h, 1f, dh, 0, h);
            }
        }
        float[] dx = null;
        float[] dwIh = null;
        float[] dwHh = null;
        float[] dbIh = null;
        float[] dbHh = null;
        if (needsGrad(0)) {
            dx = new float[rows * inputSize];
            Kernels.gemm(false, false, rows, inputSize, g3, dgi, 0, g3, wIh.data(), 0, inputSize, 0f, dx, 0,
                inputSize);
        }
        if (needsGrad(2)) {
            dwIh = new float[g3 * inputSize];
            Kernels.gemm(true, false, g3, inputSize, rows, dgi, 0, g3, x.data(), 0, inputSize, 0f, dwIh, 0,
                inputSize);
        }
        if (needsGrad(3)) {
            dwHh = new float[g3 * h];
            Kernels.gemm(true, false, g3, h, rows, dgh, 0, g3, ws, 4 * h, wsw, 0f, dwHh, 0, h);
        }
        if (needsGrad(4) || needsGrad(5)) {
            float[] ones = new float[rows];
            Arrays.fill(ones, 1f);
            if (needsGrad(4)) {
                dbIh = new float[g3];
                Kernels.gemm(false, false, 1, g3, rows, ones, 0, rows, dgi, 0, g3, 0f, dbIh, 0, g3);
            }
            if (needsGrad(5)) {
                dbHh = new float[g3];
                Kernels.gemm(false, false, 1, g3, rows, ones, 0, rows, dgh, 0, g3, 0f, dbHh, 0, g3);
            }
        }
        return new float[][] {dx, needsGrad(1) ? dh : null, dwIh, dwHh, dbIh, dbHh};
    }

    @Override
    protected void releaseSaved() {
        x = null;
        wIh = null;
        wHh = null;
        ws = null;
    }

    /**
     * Checks the operands of a fused recurrent layer with {@code gates} gate blocks.
     *
     * @throws IllegalArgumentException naming the expected and actual shapes
     */
    static void checkShapes(String op, int gates, Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh,
                            Tensor bHh, int[] lengths) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException(op + ": input must be 3-D (T, B, input_size), got "
                + Shape.format(x.shape()));
        }
        if (wHh.dim() != 2) {
            throw new IllegalArgumentException(op + ": weight_hh must be 2-D, got " + Shape.format(wHh.shape()));
        }
        int t = x.size(0);
        int b = x.size(1);
        int in = x.size(2);
        int h = wHh.size(1);
        int gh = gates * h;
        expect(op, "weight_hh", wHh, gh, h);
        expect(op, "weight_ih", wIh, gh, in);
        expect(op, "hx", h0, b, h);
        if (bIh != null) {
            expect(op, "bias_ih", bIh, gh);
        }
        if (bHh != null) {
            expect(op, "bias_hh", bHh, gh);
        }
        if (lengths != null) {
            if (lengths.length != b) {
                throw new IllegalArgumentException(op + ": expected " + b + " lengths (one per sequence), got "
                    + lengths.length);
            }
            for (int i = 0; i < b; i++) {
                if (lengths[i] < 0 || lengths[i] > t) {
                    throw new IllegalArgumentException(op + ": length " + lengths[i] + " of sequence " + i
                        + " is out of range [0, " + t + "]");
                }
            }
        }
    }

    private static void expect(String op, String what, Tensor t, int... shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(op + ": expected " + what + " of shape " + Shape.format(shape)
                + ", got " + Shape.format(t.shape()));
        }
    }
}
