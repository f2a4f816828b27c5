package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.LstmKernels;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * One LSTM layer in one direction over a whole sequence, as a single autograd node: the fused
 * counterpart of PyTorch's {@code _VF.lstm} for one layer and direction. For each sequence
 * {@code b} of the batch and each of its steps {@code t < len[b]} (in order {@code 0, 1, ...}, or
 * {@code len[b]-1, ..., 0} for the reverse direction):
 * <pre>
 *   i_t = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g_t = tanh   (W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o_t = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f_t * c_{t-1} + i_t * g_t
 *   h_t = o_t * tanh(c_t)            (with a projection: h_t = W_hr (o_t * tanh(c_t)))
 * </pre>
 * where {@code h_{t-1}, c_{t-1}} are {@code h0, c0} at a sequence's first step. The output is
 * {@code h_t} at time {@code t} (zero for {@code t >= len[b]}); {@code h_n, c_n} are the states after
 * each sequence's last step.
 *
 * <p>How it runs. Forward: one GEMM {@code X (T*B, in) . W_ih^T} for the input projection of every
 * step, with {@code b_ih + b_hh} added once; then per step one GEMM {@code h_{t-1} (B, H_out) . W_hh^T}
 * for all four gates, one fused pointwise pass ({@link LstmKernels#forwardRow}) per running sequence,
 * and with a projection one GEMM {@code (o * tanh c) . W_hr^T}. Saved for backward (only when an
 * input needs a gradient): the gate activations {@code (T, B, 4H)}, {@code c_t} and {@code tanh(c_t)}
 * {@code (T, B, H)}, {@code h_{t-1}} {@code (T, B, H_out)} when {@code W_hh} needs a gradient, and the
 * inputs each gradient formula reads. Backward walks the steps in reverse, per step one fused
 * pointwise pass ({@link LstmKernels#backwardRow}), one GEMM {@code dGates . W_hh} for
 * {@code dh_{t-1}}, and with a projection one GEMM {@code dh_t . W_hr}; then single GEMMs over all steps:
 * <pre>
 *   dX    = dGates_all . W_ih            dW_ih = dGates_all^T . X_all
 *   dW_hh = dGates_all^T . H_prev_all    db_ih = db_hh = column sums of dGates_all
 *   dW_hr = dH_all^T . (o * tanh c)_all
 * </pre>
 * Padded steps ({@code t >= len[b]}) get zero gradient. All buffers are allocated once per call,
 * and the weights are transposed once per call so that every per-step product is a
 * non-transposed GEMM.
 */
public final class LstmFunction extends Node {

    private static final int X = 0;
    private static final int H0 = 1;
    private static final int C0 = 2;
    private static final int W_IH = 3;
    private static final int W_HH = 4;
    private static final int B_IH = 5;
    private static final int B_HH = 6;
    private static final int W_HR = 7;

    private final int steps;
    private final int batch;
    private final int inputSize;
    private final int hidden;
    private final int outSize;
    private final boolean reverse;
    private final int[] lens;
    private final int maxLen;
    private final boolean projected;

    private float[] gates;
    private float[] cells;
    private float[] tanhCells;
    private float[] hPrev;
    private float[] xMasked;
    private Saved x;
    private Saved c0;
    private Saved wIh;
    private Saved wHh;
    private Saved wHr;

    private LstmFunction(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr,
                         int steps, int batch, int inputSize, int hidden, int outSize, int[] lens, boolean reverse) {
        super(3, x, h0, c0, wIh, wHh, bIh, bHh, wHr);
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.outSize = outSize;
        this.lens = lens;
        this.reverse = reverse;
        this.projected = wHr != null;
        this.maxLen = Arrays.stream(lens).max().orElse(0);
    }

    /**
     * Runs one layer in one direction.
     *
     * @param x       input {@code (T, B, in)}, time-major
     * @param h0      initial hidden state {@code (B, H_out)}, or null for zeros
     * @param c0      initial cell state {@code (B, H)}, or null for zeros
     * @param wIh     {@code (4H, in)}, gates stacked i, f, g, o
     * @param wHh     {@code (4H, H_out)}
     * @param bIh     {@code (4H)} or null
     * @param bHh     {@code (4H)} or null
     * @param wHr     projection {@code (P, H)} or null; {@code H_out} is {@code P} with it, {@code H} without
     * @param lengths each sequence's length in {@code [0, T]}, or null when all are {@code T}
     * @param reverse run each sequence from its last valid step back to step 0
     * @return {@code {output (T, B, H_out), h_n (B, H_out), c_n (B, H)}}; output is zero past each length
     * @throws IllegalArgumentException naming the shapes when they do not fit together
     */
    public static Tensor[] apply(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                                 Tensor wHr, int[] lengths, boolean reverse) {
        if (x.dim() != 3) {
            throw new IllegalArgumentException("lstm: input must be 3-D (T, B, input_size), got " + Shape.format(x.shape()));
        }
        int steps = x.size(0);
        int batch = x.size(1);
        int in = x.size(2);
        if (wIh.dim() != 2 || wIh.size(0) % 4 != 0 || wIh.size(0) == 0 || wIh.size(1) != in) {
            throw new IllegalArgumentException("lstm: weight_ih must be (4*hidden_size, " + in + "), got "
                + Shape.format(wIh.shape()));
        }
        int gateRows = wIh.size(0);
        int hidden = gateRows / 4;
        int out = hidden;
        if (wHr != null) {
            if (wHr.dim() != 2 || wHr.size(1) != hidden) {
                throw new IllegalArgumentException("lstm: weight_hr must be (proj_size, " + hidden + "), got "
                    + Shape.format(wHr.shape()));
            }
            out = wHr.size(0);
        }
        requireShape("weight_hh", wHh, gateRows, out);
        if (bIh != null) {
            requireShape("bias_ih", bIh, gateRows);
        }
        if (bHh != null) {
            requireShape("bias_hh", bHh, gateRows);
        }
        if (h0 != null) {
            requireShape("h0", h0, batch, out);
        }
        if (c0 != null) {
            requireShape("c0", c0, batch, hidden);
        }
        int[] lens = new int[batch];
        if (lengths == null) {
            Arrays.fill(lens, steps);
        } else {
            if (lengths.length != batch) {
                throw new IllegalArgumentException("lstm: expected " + batch + " lengths, got " + lengths.length);
            }
            for (int b = 0; b < batch; b++) {
                if (lengths[b] < 0 || lengths[b] > steps) {
                    throw new IllegalArgumentException("lstm: length " + lengths[b] + " of sequence " + b
                        + " is out of range [0, " + steps + "]");
                }
                lens[b] = lengths[b];
            }
        }
        LstmFunction node = Node.isRecording(x, h0, c0, wIh, wHh, bIh, bHh, wHr)
            ? new LstmFunction(x, h0, c0, wIh, wHh, bIh, bHh, wHr, steps, batch, in, hidden, out, lens, reverse)
            : null;
        return forward(node, x, h0, c0, wIh, wHh, bIh, bHh, wHr, steps, batch, in, hidden, out, lens, reverse);
    }

    private static void requireShape(String name, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException("lstm: " + name + " must have shape " + Shape.format(expected) + ", got "
                + Shape.format(t.shape()));
        }
    }

    /** The time index of step {@code s} of a sequence of length {@code len}. */
    private static int timeOf(int s, int len, boolean reverse) {
        return reverse ? len - 1 - s : s;
    }

    private static Tensor[] forward(LstmFunction node, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
                                    Tensor bIh, Tensor bHh, Tensor wHr, int steps, int batch, int in, int hidden,
                                    int out, int[] lens, boolean reverse) {
        int g4 = 4 * hidden;
        int rows = steps * batch;
        boolean save = node != null;
        boolean proj = wHr != null;

        // input projection of every step at once, biases summed once
        float[] gates = new float[rows * g4];
        boolean bias = bIh != null || bHh != null;
        if (bias) {
            float[] sum = new float[g4];
            for (Tensor b : new Tensor[] {bIh, bHh}) {
                if (b != null) {
                    float[] bd = b.data();
                    for (int j = 0; j < g4; j++) {
                        sum[j] += bd[j];
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(sum, 0, gates, r * g4, g4);
            }
        }
        // the weights transposed once per call, so that every product below is a plain (non-transposed) GEMM
        float[] wIhT = LstmKernels.transpose(g4, in, wIh.data());
        Kernels.gemm(false, false, rows, g4, in, x.data(), 0, in, wIhT, 0, g4, bias ? 1f : 0f, gates, 0, g4);

        float[] hCur = h0 == null ? new float[batch * out] : h0.data().clone();
        float[] cCur = c0 == null ? new float[batch * hidden] : c0.data().clone();
        float[] output = new float[rows * out];
        float[] rec = new float[batch * g4];
        float[] cells = save ? new float[rows * hidden] : null;
        float[] tanhCells = save ? new float[rows * hidden] : null;
        float[] tanhScratch = save ? null : new float[batch * hidden];
        float[] hPrev = save && node.needsGrad(W_HH) ? new float[rows * out] : null;
        float[] raw = proj ? new float[batch * hidden] : null;
        float[] projOut = proj ? new float[batch * out] : null;
        float[] wHhT = LstmKernels.transpose(g4, out, wHh.data());
        float[] wHrT = proj ? LstmKernels.transpose(out, hidden, wHr.data()) : null;
        int maxLen = Arrays.stream(lens).max().orElse(0);

        for (int s = 0; s < maxLen; s++) {
            Kernels.gemm(false, false, batch, g4, out, hCur, 0, out, wHhT, 0, g4, 0f, rec, 0, g4);
            for (int b = 0; b < batch; b++) {
                if (s >= lens[b]) {
                    continue;
                }
                int row = timeOf(s, lens[b], reverse) * batch + b;
                if (hPrev != null) {
                    System.arraycopy(hCur, b * out, hPrev, row * out, out);
                }
                float[] tanhC = save ? tanhCells : tanhScratch;
                int tOff = save ? row * hidden : b * hidden;
                float[] h = proj ? raw : output;
                int hOff = proj ? b * hidden : row * out;
                LstmKernels.forwardRow(hidden, gates, row * g4, rec, b * g4, cCur, b * hidden, tanhC, tOff, h, hOff);
                if (save) {
                    System.arraycopy(cCur, b * hidden, cells, row * hidden, hidden);
                }
                if (!proj) {
                    System.arraycopy(output, row * out, hCur, b * out, out);
                }
            }
            if (proj) {
                Kernels.gemm(false, false, batch, out, hidden, raw, 0, hidden, wHrT, 0, out, 0f, projOut, 0, out);
                for (int b = 0; b < batch; b++) {
                    if (s < lens[b]) {
                        int row = timeOf(s, lens[b], reverse) * batch + b;
                        System.arraycopy(projOut, b * out, output, row * out, out);
                        System.arraycopy(projOut, b * out, hCur, b * out, out);
                    }
                }
            }
        }

        int[] outShape = {steps, batch, out};
        int[] hShape = {batch, out};
        int[] cShape = {batch, hidden};
        if (!save) {
            return new Tensor[] {Tensor.wrap(output, outShape), Tensor.wrap(hCur, hShape), Tensor.wrap(cCur, cShape)};
        }
        node.gates = gates;
        node.cells = cells;
        node.tanhCells = tanhCells;
        node.hPrev = hPrev;
        node.c0 = c0 == null ? null : Saved.of(c0, "LstmBackward");
        node.wHh = Saved.of(wHh, "LstmBackward");
        node.wHr = proj ? Saved.of(wHr, "LstmBackward") : null;
        node.wIh = node.needsGrad(X) ? Saved.of(wIh, "LstmBackward") : null;
        if (node.needsGrad(W_IH)) {
            if (maxLen == steps && Arrays.stream(lens).allMatch(l -> l == steps)) {
                node.x = Saved.of(x, "LstmBackward");
            } else {
                // padded steps carry no meaning (they may even be NaN): keep a copy with them zeroed
                node.xMasked = new float[rows * in];
                float[] xd = x.data();
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < lens[b]; t++) {
                        System.arraycopy(xd, (t * batch + b) * in, node.xMasked, (t * batch + b) * in, in);
                    }
                }
            }
        }
        return new Tensor[] {node.output(output, outShape, 0), node.output(hCur, hShape, 1), node.output(cCur, cShape, 2)};
    }

    @Override
    public String name() {
        return "LstmBackward";
    }

    @Override
    protected float[][] backward(float[][] gradOutputs) {
        int g4 = 4 * hidden;
        int rows = steps * batch;
        float[] gOutput = gradOutputs[0];
        float[] dhCur = gradOutputs[1] == null ? new float[batch * outSize] : gradOutputs[1].clone();
        float[] dcCur = gradOutputs[2] == null ? new float[batch * hidden] : gradOutputs[2].clone();
        float[] c0Data = c0 == null ? new float[batch * hidden] : c0.data();
        float[] wHhData = wHh.data();
        float[] wHrData = projected ? wHr.data() : null;

        float[] dGates = new float[rows * g4];
        float[] dhStep = new float[batch * outSize];
        float[] dgStep = new float[batch * g4];
        float[] dhNew = new float[batch * outSize];
        float[] drStep = projected ? new float[batch * hidden] : null;
        float[] dhAll = projected && needsGrad(W_HR) ? new float[rows * outSize] : null;

        for (int s = maxLen - 1; s >= 0; s--) {
            // dL/dh_t: from the output at its time index plus from the next step (or h_n)
            for (int b = 0; b < batch; b++) {
                int off = b * outSize;
                if (s >= lens[b]) {
                    Arrays.fill(dhStep, off, off + outSize, 0f);
                    continue;
                }
                int row = timeOf(s, lens[b], reverse) * batch + b;
                for (int j = 0; j < outSize; j++) {
                    dhStep[off + j] = dhCur[off + j] + (gOutput == null ? 0f : gOutput[row * outSize + j]);
                }
                if (dhAll != null) {
                    System.arraycopy(dhStep, off, dhAll, row * outSize, outSize);
                }
            }
            float[] dRaw = dhStep;
            if (projected) {
                Kernels.gemm(false, false, batch, hidden, outSize, dhStep, 0, outSize, wHrData, 0, hidden,
                    0f, drStep, 0, hidden);
                dRaw = drStep;
            }
            for (int b = 0; b < batch; b++) {
                if (s >= lens[b]) {
                    Arrays.fill(dgStep, b * g4, (b + 1) * g4, 0f);
                    continue;
                }
                int t = timeOf(s, lens[b], reverse);
                int row = t * batch + b;
                float[] cPrev = s == 0 ? c0Data : cells;
                int cpOff = s == 0 ? b * hidden : ((reverse ? t + 1 : t - 1) * batch + b) * hidden;
                LstmKernels.backwardRow(hidden, gates, row * g4, tanhCells, row * hidden, cPrev, cpOff,
                    dRaw, b * hidden, dcCur, b * hidden, dgStep, b * g4);
                System.arraycopy(dgStep, b * g4, dGates, row * g4, g4);
            }
            if (s == 0 && !needsGrad(H0)) {
                break;
            }
            // dL/dh_{t-1} for all four gates at once
            Kernels.gemm(false, false, batch, outSize, g4, dgStep, 0, g4, wHhData, 0, outSize, 0f, dhNew, 0, outSize);
            for (int b = 0; b < batch; b++) {
                if (s < lens[b]) {
                    System.arraycopy(dhNew, b * outSize, dhCur, b * outSize, outSize);
                }
            }
        }

        float[][] grads = new float[8][];
        if (needsGrad(X)) {
            float[] dx = new float[rows * inputSize];
            Kernels.gemm(false, false, rows, inputSize, g4, dGates, 0, g4, wIh.data(), 0, inputSize, 0f, dx, 0, inputSize);
            grads[X] = dx;
        }
        grads[H0] = needsGrad(H0) ? dhCur : null;
        grads[C0] = needsGrad(C0) ? dcCur : null;
        if (needsGrad(W_IH)) {
            float[] xs = xMasked != null ? xMasked : x.data();
            float[] dw = new float[g4 * inputSize];
            Kernels.gemm(true, false, g4, inputSize, rows, dGates, 0, g4, xs, 0, inputSize, 0f, dw, 0, inputSize);
            grads[W_IH] = dw;
        }
        if (needsGrad(W_HH)) {
            float[] dw = new float[g4 * outSize];
            Kernels.gemm(true, false, g4, outSize, rows, dGates, 0, g4, hPrev, 0, outSize, 0f, dw, 0, outSize);
            grads[W_HH] = dw;
        }
        if (needsGrad(B_IH) || needsGrad(B_HH)) {
            double[] acc = new double[g4];
            for (int r = 0; r < rows; r++) {
                int off = r * g4;
                for (int j = 0; j < g4; j++) {
                    acc[j] += dGates[off + j];
                }
            }
            float[] db = new float[g4];
            for (int j = 0; j < g4; j++) {
                db[j] = (float) acc[j];
            }
            grads[B_IH] = needsGrad(B_IH) ? db : null;
            grads[B_HH] = needsGrad(B_HH) ? (needsGrad(B_IH) ? db.clone() : db) : null;
        }
        if (dhAll != null) {
            float[] raw = new float[rows * hidden];
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < lens[b]; t++) {
                    int row = t * batch + b;
                    LstmKernels.outputRow(hidden, gates, row * g4, tanhCells, row * hidden, raw, row * hidden);
                }
            }
            float[] dw = new float[outSize * hidden];
            Kernels.gemm(true, false, outSize, hidden, rows, dhAll, 0, outSize, raw, 0, hidden, 0f, dw, 0, hidden);
            grads[W_HR] = dw;
        }
        return grads;
    }

    @Override
    protected void releaseSaved() {
        gates = null;
        cells = null;
        tanhCells = null;
        hPrev = null;
        xMasked = null;
        x = null;
        c0 = null;
        wIh = null;
        wHh = null;
        wHr = null;
    }
}
