package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.ArrayPool;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.LstmKernels;
import io.github.lstm4j.tensor.PackedMatrix;
import io.github.lstm4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * for all four gates (added straight onto the projected gates when every sequence has the full
 * length), one fused pointwise pass ({@link Kernels#lstmForward}, the contract of
 * {@link LstmKernels#forwardRow}) over each run of rows at the same time index, and with a
 * projection one GEMM {@code (o * tanh c) . W_hr^T}. Saved for backward (only when an input needs a
 * gradient): the gate activations {@code (T, B, 4H)}, {@code c_t} and {@code tanh(c_t)}
 * {@code (T, B, H)}, {@code h_{t-1}} {@code (T, B, H_out)} when {@code W_hh} needs a gradient, and the
 * inputs each gradient formula reads. Backward walks the steps in reverse, per step one fused
 * pointwise pass ({@link Kernels#lstmBackward}), one GEMM {@code dGates . W_hh} for
 * {@code dh_{t-1}}, and with a projection one GEMM {@code dh_t . W_hr}; then single GEMMs over all steps:
 * <pre>
 *   dX    = dGates_all . W_ih            dW_ih = dGates_all^T . X_all
 *   dW_hh = dGates_all^T . H_prev_all    db_ih = db_hh = column sums of dGates_all
 *   dW_hr = dH_all^T . (o * tanh c)_all
 * </pre>
 * Padded steps ({@code t >= len[b]}) get zero gradient.
 *
 * <p>Threads and memory. The batch rows never read each other's state, so the sequential part of
 * both passes is split by rows ({@link Kernels#parallelRanges}): each thread runs every step for
 * its own rows, with no synchronisation per step, and a row's values do not depend on the split.
 * The recurrent weights are packed once per call ({@link Kernels#pack}) for the per-step products.
 * The internal buffers (the saved activations, the gate gradients, the per-step workspaces, the
 * packed weights) come from {@link ArrayPool} and go back to it once read for the last time (the
 * saved ones when the engine releases the node), so a training loop reuses them step after step;
 * only the outputs and the gradients handed to the engine are new arrays.
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
    /**
     * The largest of the weight and input gradients, in multiply-adds, that backward computes
     * whole on one thread beside the others; larger ones are each split over the threads (the
     * tutorial's are 3.2 million each, the medium model's 52 to 210 million).
     */
    private static final long TAIL_TASK_MAX_FMAS = 1L << 23;
    /**
     * The largest input projection, in multiply-adds, that forward computes inside the recurrence,
     * each thread for its own batch rows; larger ones are one product over all rows first.
     */
    private static final long PROJECT_IN_RANGES_MAX_FMAS = 1L << 23;

    private final int steps;
    private final int batch;
    private final int inputSize;
    private final int hidden;
    private final int outSize;
    private final boolean reverse;
    private final int[] lens;
    private final int maxLen;
    private final boolean projected;
    /** The output is {@code (B, T, H_out)} instead of {@code (T, B, H_out)}. */
    private final boolean batchFirstOut;

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
                         int steps, int batch, int inputSize, int hidden, int outSize, int[] lens, boolean reverse,
                         boolean batchFirstOut) {
        super(3, x, h0, c0, wIh, wHh, bIh, bHh, wHr);
        this.batchFirstOut = batchFirstOut;
        this.steps = steps;
        this.batch = batch;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.outSize = outSize;
        this.lens = lens;
        this.reverse = reverse;
        this.projected = wHr != null;
        this.maxLen = longest(lens);
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
        return apply(x, h0, c0, wIh, wHh, bIh, bHh, wHr, lengths, reverse, false);
    }

    /**
     * {@link #apply(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, int[], boolean)}
     * with the output batch-first, {@code (B, T, H_out)}, when {@code batchFirstOutput} (the last
     * layer of a batch-first LSTM, whose output then needs no transposed copy); the input stays
     * time-major.
     */
    public static Tensor[] apply(Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                                 Tensor wHr, int[] lengths, boolean reverse, boolean batchFirstOutput) {
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
            ? new LstmFunction(x, h0, c0, wIh, wHh, bIh, bHh, wHr, steps, batch, in, hidden, out, lens, reverse,
                batchFirstOutput)
            : null;
        return forward(node, x, h0, c0, wIh, wHh, bIh, bHh, wHr, steps, batch, in, hidden, out, lens, reverse,
                batchFirstOutput);
    }

    private static void requireShape(String name, Tensor t, int... expected) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException("lstm: " + name + " must have shape " + Shape.format(expected) + ", got "
                + Shape.format(t.shape()));
        }
    }

    /** The longest of the sequence lengths, 0 for none (loops here: the streams showed in profiles of a step). */
    private static int longest(int[] lens) {
        int max = 0;
        for (int l : lens) {
            max = Math.max(max, l);
        }
        return max;
    }

    /** Whether every sequence has length {@code steps}. */
    private static boolean allEqual(int[] lens, int steps) {
        for (int l : lens) {
            if (l != steps) {
                return false;
            }
        }
        return true;
    }

    /** The time index of step {@code s} of a sequence of length {@code len}. */
    private static int timeOf(int s, int len, boolean reverse) {
        return reverse ? len - 1 - s : s;
    }

    /**
     * The row of the output (and of its gradient) holding time {@code t} of sequence {@code b}:
     * {@code (b, t)} of {@code (B, T)} batch-first, else {@code (t, b)} of {@code (T, B)}.
     */
    private static int outRow(boolean batchFirst, int steps, int batch, int t, int b) {
        return batchFirst ? b * steps + t : t * batch + b;
    }

    /**
     * The end (exclusive) of the run of batch rows from {@code b} (below {@code b1}) that are
     * active at step {@code s} at the same time index {@code t}: rows contiguous in every buffer.
     */
    private static int runEnd(int b, int b1, int s, int t, int[] lens, boolean reverse) {
        int e = b + 1;
        while (e < b1 && s < lens[e] && timeOf(s, lens[e], reverse) == t) {
            e++;
        }
        return e;
    }

    private static Tensor[] forward(LstmFunction node, Tensor x, Tensor h0, Tensor c0, Tensor wIh, Tensor wHh,
                                    Tensor bIh, Tensor bHh, Tensor wHr, int steps, int batch, int in, int hidden,
                                    int out, int[] lens, boolean reverse, boolean batchFirstOut) {
        int g4 = 4 * hidden;
        int rows = steps * batch;
        boolean save = node != null;
        boolean proj = wHr != null;

        // input projection of every step at once, biases summed once
        Recurrence r = new Recurrence();
        r.hidden = hidden;
        r.out = out;
        r.batch = batch;
        r.lens = lens;
        r.reverse = reverse;
        r.steps = steps;
        r.batchFirstOut = batchFirstOut;
        // internal buffers come from the thread's ArrayPool and go back to it when no longer read;
        // a reused array holds garbage, so those not written in full are taken zeroed
        boolean full = allEqual(lens, steps);
        r.gates = ArrayPool.take(rows * g4);
        float[] sum = null;
        if (bIh != null || bHh != null) {
            sum = new float[g4];
            for (Tensor b : new Tensor[] {bIh, bHh}) {
                if (b != null) {
                    float[] bd = b.data();
                    for (int j = 0; j < g4; j++) {
                        sum[j] += bd[j];
                    }
                }
            }
        }
        r.biasSum = sum;
        if ((long) rows * g4 * in <= PROJECT_IN_RANGES_MAX_FMAS) {
            // a small projection is computed by each thread for its own batch rows, inside the
            // recurrence below, so that the gates are written where they are read
            r.x = x.data();
            r.in = in;
            if (full) {
                // and with full-length sequences in the same product as the recurrent term:
                // [x_t h_{t-1}] [W_ih W_hh]^T, the same chains of fused multiply-adds as the two
                // products one after the other, at the cost of one
                float[] wCat = ArrayPool.take(g4 * (in + out));
                float[] wi = wIh.data();
                float[] wh = wHh.data();
                for (int j = 0; j < g4; j++) {
                    System.arraycopy(wi, j * in, wCat, j * (in + out), in);
                    System.arraycopy(wh, j * out, wCat, j * (in + out) + in, out);
                }
                r.wCatT = Kernels.pack(true, in + out, g4, wCat, 0, in + out);
                ArrayPool.give(wCat);
            } else {
                r.wIhT = Kernels.pack(true, in, g4, wIh.data(), 0, in);
            }
        } else {
            r.fillBias(0, rows);
            Kernels.gemm(false, true, rows, g4, in, x.data(), 0, in, wIh.data(), 0, in, sum != null ? 1f : 0f,
                    r.gates, 0, g4);
        }

        r.hCur = h0 == null ? new float[batch * out] : h0.data().clone();
        r.cCur = c0 == null ? new float[batch * hidden] : c0.data().clone();
        r.output = new float[rows * out];
        r.rec = ArrayPool.take(batch * g4);
        r.cells = save ? ArrayPool.take(rows * hidden) : null;
        r.tanhCells = save ? ArrayPool.take(rows * hidden) : null;
        r.tanhScratch = save ? null : ArrayPool.take(batch * hidden);
        // the weight gradient reads every row of hPrev; padded rows must be zeros
        r.hPrev = save && node.needsGrad(W_HH) ? (full ? ArrayPool.take(rows * out) : ArrayPool.takeZeroed(rows * out)) : null;
        r.raw = proj ? ArrayPool.take(batch * hidden) : null;
        r.projOut = proj ? ArrayPool.take(batch * out) : null;
        // the weights packed once per call: op(B) = W_hh^T (out x 4H) and W_hr^T (H x P)
        r.wHhT = r.wCatT == null ? Kernels.pack(true, out, g4, wHh.data(), 0, out) : null;
        r.wHrT = proj ? Kernels.pack(true, hidden, out, wHr.data(), 0, hidden) : null;
        int maxLen = longest(lens);
        // the batch rows are independent: each thread runs every step for its own rows
        Kernels.parallelRanges(batch, 4, (long) maxLen * g4 * (out + (r.wIhT != null ? in : 0) + 8), r::forward);
        if (r.wHhT != null) {
            r.wHhT.release();
        }
        if (r.wCatT != null) {
            r.wCatT.release();
        }
        if (r.wIhT != null) {
            r.wIhT.release();
        }
        if (proj) {
            r.wHrT.release();
        }
        ArrayPool.give(r.rec);
        ArrayPool.give(r.raw);
        ArrayPool.give(r.projOut);
        ArrayPool.give(r.tanhScratch);

        int[] outShape = batchFirstOut ? new int[] {batch, steps, out} : new int[] {steps, batch, out};
        int[] hShape = {batch, out};
        int[] cShape = {batch, hidden};
        if (!save) {
            ArrayPool.give(r.gates);
            return new Tensor[] {Tensor.wrap(r.output, outShape), Tensor.wrap(r.hCur, hShape),
                Tensor.wrap(r.cCur, cShape)};
        }
        node.gates = r.gates;
        node.cells = r.cells;
        node.tanhCells = r.tanhCells;
        node.hPrev = r.hPrev;
        node.c0 = c0 == null ? null : Saved.of(c0, "LstmBackward");
        node.wHh = Saved.of(wHh, "LstmBackward");
        node.wHr = proj ? Saved.of(wHr, "LstmBackward") : null;
        node.wIh = node.needsGrad(X) ? Saved.of(wIh, "LstmBackward") : null;
        if (node.needsGrad(W_IH)) {
            if (full) {
                node.x = Saved.of(x, "LstmBackward");
            } else {
                // padded steps carry no meaning (they may even be NaN): keep a copy with them zeroed
                node.xMasked = ArrayPool.takeZeroed(rows * in);
                float[] xd = x.data();
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < lens[b]; t++) {
                        System.arraycopy(xd, (t * batch + b) * in, node.xMasked, (t * batch + b) * in, in);
                    }
                }
            }
        }
        return new Tensor[] {node.output(r.output, outShape, 0), node.output(r.hCur, hShape, 1),
            node.output(r.cCur, cShape, 2)};
    }

    /**
     * The sequential part of the forward: the state of one call, and the steps over a range of
     * batch rows. Rows never read each other's state, so ranges run on different threads, and a
     * row's values do not depend on the range it is in.
     */
    private static final class Recurrence {
        int hidden;
        int out;
        int batch;
        int[] lens;
        boolean reverse;
        float[] gates;
        float[] hCur;
        float[] cCur;
        float[] output;
        float[] rec;
        float[] cells;
        float[] tanhCells;
        float[] tanhScratch;
        float[] hPrev;
        float[] raw;
        float[] projOut;
        PackedMatrix wHhT;
        PackedMatrix wHrT;
        /** {@code b_ih + b_hh}, or null without biases. */
        float[] biasSum;
        /**
         * W_ih^T packed when {@link #forward} computes the input projection of its own rows, else
         * null (the projection was one product over all rows before); {@code x}, {@code in} and
         * {@code steps} are read only then.
         */
        PackedMatrix wIhT;
        /**
         * {@code [W_ih W_hh]^T} packed when every sequence has the full length and the projection
         * is computed per range: then each step's gates are one product {@code [x_t h_{t-1}]} by
         * it, and {@link #wIhT} and {@link #wHhT} are null.
         */
        PackedMatrix wCatT;
        float[] x;
        int in;
        /** The sequence length; with {@link #batchFirstOut} the output's rows are {@code (b, t)}. */
        int steps;
        boolean batchFirstOut;

        /** Writes the summed biases into the {@code n} rows of the gates from {@code row0} on. */
        void fillBias(int row0, int n) {
            if (biasSum != null) {
                int g4 = 4 * hidden;
                for (int row = row0; row < row0 + n; row++) {
                    System.arraycopy(biasSum, 0, gates, row * g4, g4);
                }
            }
        }

        /**
         * The input projection {@code b_ih + b_hh + x W_ih^T} of the {@code n} rows of the gates
         * from {@code row0} on: an element is the same chain of fused multiply-adds as in the
         * product over all rows at once.
         */
        void project(int row0, int n) {
            fillBias(row0, n);
            int g4 = 4 * hidden;
            Kernels.gemm(n, x, row0 * in, in, wIhT, biasSum != null ? 1f : 0f, gates, row0 * g4, g4);
        }

        /** Every step for the batch rows {@code [b0, b1)}. */
        void forward(int b0, int b1) {
            int g4 = 4 * hidden;
            int nb = b1 - b0;
            if (wIhT != null) {
                for (int t = 0; t < steps; t++) {
                    project(t * batch + b0, nb);
                }
            }
            int sliceLen = 0;
            for (int b = b0; b < b1; b++) {
                sliceLen = Math.max(sliceLen, lens[b]);
            }
            boolean save = cells != null;
            boolean proj = wHrT != null;
            // with full-length sequences the slice's rows of a step are contiguous in gates, and
            // the recurrent term is added there by the product itself (beta 1)
            boolean full = true;
            for (int b = b0; b < b1; b++) {
                full &= lens[b] == lens[b0];
            }
            for (int s = 0; s < sliceLen; s++) {
                // all four gates of the recurrent term at once
                if (wCatT != null) {
                    int row0 = timeOf(s, lens[b0], reverse) * batch + b0;
                    // the summed biases start the product's accumulators (no copy into the rows)
                    Kernels.gemmConcat(nb, x, row0 * in, in, in, hCur, b0 * out, out, wCatT, biasSum,
                            gates, row0 * g4, g4);
                } else if (full) {
                    int row0 = timeOf(s, lens[b0], reverse) * batch + b0;
                    Kernels.gemm(nb, hCur, b0 * out, out, wHhT, 1f, gates, row0 * g4, g4);
                } else {
                    Kernels.gemm(nb, hCur, b0 * out, out, wHhT, 0f, rec, b0 * g4, g4);
                }
                // runs of consecutive batch rows at the same time index are contiguous in every
                // buffer: all the slice when the sequences have the same length
                int b = b0;
                while (b < b1) {
                    if (s >= lens[b]) {
                        b++;
                        continue;
                    }
                    int t = timeOf(s, lens[b], reverse);
                    int e = runEnd(b, b1, s, t, lens, reverse);
                    int n = e - b;
                    int row = t * batch + b;
                    if (hPrev != null) {
                        System.arraycopy(hCur, b * out, hPrev, row * out, n * out);
                    }
                    float[] tanhC = save ? tanhCells : tanhScratch;
                    int tOff = save ? row * hidden : b * hidden;
                    // h goes to the output rows at once when they follow each other (time-major),
                    // else to hCur first and from there row by row
                    float[] h = proj ? raw : batchFirstOut ? hCur : output;
                    int hOff = proj ? b * hidden : batchFirstOut ? b * out : row * out;
                    Kernels.lstmForward(n, hidden, gates, row * g4, g4, full ? null : rec, b * g4, g4, cCur, b * hidden,
                        hidden, tanhC, tOff, hidden, h, hOff, proj ? hidden : out);
                    if (save) {
                        System.arraycopy(cCur, b * hidden, cells, row * hidden, n * hidden);
                    }
                    if (!proj && batchFirstOut) {
                        for (int q = b; q < e; q++) {
                            System.arraycopy(hCur, q * out, output, outRow(batchFirstOut, steps, batch, t, q) * out, out);
                        }
                    } else if (!proj) {
                        System.arraycopy(output, row * out, hCur, b * out, n * out);
                    }
                    b = e;
                }
                if (proj) {
                    Kernels.gemm(nb, raw, b0 * hidden, hidden, wHrT, 0f, projOut, b0 * out, out);
                    for (int r = b0; r < b1; r++) {
                        if (s < lens[r]) {
                            int row = outRow(batchFirstOut, steps, batch, timeOf(s, lens[r], reverse), r);
                            System.arraycopy(projOut, r * out, output, row * out, out);
                            System.arraycopy(projOut, r * out, hCur, r * out, out);
                        }
                    }
                }
            }
        }
    }

    @Override
    public String name() {
        return "LstmBackward";
    }

    @Override
    protected float[][] backward(float[][] gradOutputs) {
        int g4 = 4 * hidden;
        int rows = steps * batch;
        BackwardRecurrence r = new BackwardRecurrence();
        r.node = this;
        r.gOutput = gradOutputs[0];
        r.dhCur = gradOutputs[1] == null ? new float[batch * outSize] : gradOutputs[1].clone();
        r.dcCur = gradOutputs[2] == null ? new float[batch * hidden] : gradOutputs[2].clone();
        r.c0Data = c0 == null ? new float[batch * hidden] : c0.data();
        // op(B) = W_hh (4H x H_out) and W_hr (P x H), packed once per call
        r.wHh = Kernels.pack(false, g4, outSize, wHh.data(), 0, outSize);
        r.wHr = projected ? Kernels.pack(false, outSize, hidden, wHr.data(), 0, hidden) : null;
        r.uniform = allEqual(lens, steps);
        // workspaces from the thread's ArrayPool; padded rows of those read in full must be zeros
        r.dGates = r.uniform ? ArrayPool.take(rows * g4) : ArrayPool.takeZeroed(rows * g4);
        r.dgStep = r.uniform ? null : ArrayPool.take(batch * g4);
        r.dhNew = r.uniform ? null : ArrayPool.take(batch * outSize);
        r.dhStep = projected ? ArrayPool.take(batch * outSize) : null;
        r.drStep = projected ? ArrayPool.take(batch * hidden) : null;
        r.dhAll = projected && needsGrad(W_HR)
            ? (r.uniform ? ArrayPool.take(rows * outSize) : ArrayPool.takeZeroed(rows * outSize)) : null;
        // the batch rows are independent: each thread runs every step for its own rows
        Kernels.parallelRanges(batch, 4, (long) maxLen * g4 * (outSize + 8), r::backward);
        r.wHh.release();
        if (projected) {
            r.wHr.release();
        }
        ArrayPool.give(r.dgStep);
        ArrayPool.give(r.dhNew);
        ArrayPool.give(r.dhStep);
        ArrayPool.give(r.drStep);
        float[] dGates = r.dGates;

        float[][] grads = new float[8][];
        grads[H0] = needsGrad(H0) ? r.dhCur : null;
        grads[C0] = needsGrad(C0) ? r.dcCur : null;
        // dX, dW_ih, dW_hh and the bias sums read dGates only: small ones run side by side, one
        // per thread, large ones one after the other, each split over the threads
        List<Runnable> tail = new ArrayList<>(4);
        long largest = 0;
        if (needsGrad(X)) {
            tail.add(() -> {
                // the gradients come from the pool (every element is written): the engine gives
                // them back once consumed or added into a grad, so the next step reuses them
                float[] dx = ArrayPool.take(rows * inputSize);
                Kernels.gemm(false, false, rows, inputSize, g4, dGates, 0, g4, wIh.data(), 0, inputSize, 0f, dx, 0,
                        inputSize);
                grads[X] = dx;
            });
            largest = Math.max(largest, (long) rows * inputSize * g4);
        }
        if (needsGrad(W_IH)) {
            float[] xs = xMasked != null ? xMasked : x.data();
            tail.add(() -> {
                float[] dw = ArrayPool.take(g4 * inputSize);
                Kernels.gemm(true, false, g4, inputSize, rows, dGates, 0, g4, xs, 0, inputSize, 0f, dw, 0, inputSize);
                grads[W_IH] = dw;
            });
            largest = Math.max(largest, (long) rows * inputSize * g4);
        }
        if (needsGrad(W_HH)) {
            tail.add(() -> {
                float[] dw = ArrayPool.take(g4 * outSize);
                Kernels.gemm(true, false, g4, outSize, rows, dGates, 0, g4, hPrev, 0, outSize, 0f, dw, 0, outSize);
                grads[W_HH] = dw;
            });
            largest = Math.max(largest, (long) rows * outSize * g4);
        }
        if (needsGrad(B_IH) || needsGrad(B_HH)) {
            tail.add(() -> {
                float[] db = Kernels.columnSums(rows, g4, dGates, 0, g4);
                grads[B_IH] = needsGrad(B_IH) ? db : null;
                grads[B_HH] = needsGrad(B_HH) ? (needsGrad(B_IH) ? db.clone() : db) : null;
            });
        }
        Kernels.parallelTasks(TAIL_TASK_MAX_FMAS, largest, tail.toArray(new Runnable[0]));
        if (r.dhAll != null) {
            float[] raw = r.uniform ? ArrayPool.take(rows * hidden) : ArrayPool.takeZeroed(rows * hidden);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < lens[b]; t++) {
                    int row = t * batch + b;
                    LstmKernels.outputRow(hidden, gates, row * g4, tanhCells, row * hidden, raw, row * hidden);
                }
            }
            float[] dw = new float[outSize * hidden];
            Kernels.gemm(true, false, outSize, hidden, rows, r.dhAll, 0, outSize, raw, 0, hidden, 0f, dw, 0, hidden);
            grads[W_HR] = dw;
            ArrayPool.give(raw);
            ArrayPool.give(r.dhAll);
        }
        ArrayPool.give(dGates);
        return grads;
    }

    /**
     * The sequential part of the backward: the state of one call, and the steps in reverse over a
     * range of batch rows, each row independent of the others.
     */
    private static final class BackwardRecurrence {
        LstmFunction node;
        float[] gOutput;
        float[] dhCur;
        float[] dcCur;
        float[] c0Data;
        PackedMatrix wHh;
        PackedMatrix wHr;
        /** Every sequence has the full length: the rows of a step are contiguous in dGates. */
        boolean uniform;
        float[] dGates;
        float[] dgStep;
        float[] dhNew;
        float[] dhStep;
        float[] drStep;
        float[] dhAll;

        /** Every step, last to first, for the batch rows {@code [b0, b1)}. */
        void backward(int b0, int b1) {
            LstmFunction n = node;
            int hidden = n.hidden;
            int outSize = n.outSize;
            int batch = n.batch;
            int[] lens = n.lens;
            boolean reverse = n.reverse;
            int g4 = 4 * hidden;
            int nb = b1 - b0;
            int sliceLen = 0;
            for (int b = b0; b < b1; b++) {
                sliceLen = Math.max(sliceLen, lens[b]);
            }
            for (int s = sliceLen - 1; s >= 0; s--) {
                // dL/dh_t: from the output at its time index plus from the next step (or h_n)
                float[] dh = dhCur;
                float[] dh2 = gOutput;
                if (n.projected) {
                    for (int b = b0; b < b1; b++) {
                        int off = b * outSize;
                        if (s >= lens[b]) {
                            Arrays.fill(dhStep, off, off + outSize, 0f);
                            continue;
                        }
                        int t = timeOf(s, lens[b], reverse);
                        int row = t * batch + b;
                        int gRow = outRow(n.batchFirstOut, n.steps, batch, t, b);
                        for (int j = 0; j < outSize; j++) {
                            dhStep[off + j] = dhCur[off + j] + (gOutput == null ? 0f : gOutput[gRow * outSize + j]);
                        }
                        if (dhAll != null) {
                            System.arraycopy(dhStep, off, dhAll, row * outSize, outSize);
                        }
                    }
                    Kernels.gemm(nb, dhStep, b0 * outSize, outSize, wHr, 0f, drStep, b0 * hidden, hidden);
                    dh = drStep;
                    dh2 = null;
                }
                // runs of consecutive batch rows at the same time index, as in the forward
                int b = b0;
                while (b < b1) {
                    if (s >= lens[b]) {
                        Arrays.fill(dgStep, b * g4, (b + 1) * g4, 0f);
                        b++;
                        continue;
                    }
                    int t = timeOf(s, lens[b], reverse);
                    int e = runEnd(b, b1, s, t, lens, reverse);
                    int rows = e - b;
                    int row = t * batch + b;
                    float[] cPrev = s == 0 ? c0Data : n.cells;
                    int cpOff = s == 0 ? b * hidden : ((reverse ? t + 1 : t - 1) * batch + b) * hidden;
                    float[] dg = uniform ? dGates : dgStep;
                    int dgOff = uniform ? row * g4 : b * g4;
                    Kernels.lstmBackward(rows, hidden, n.gates, row * g4, g4, n.tanhCells, row * hidden, hidden,
                        cPrev, cpOff, hidden, dh, b * hidden, hidden, dh2, outRow(n.batchFirstOut, n.steps, batch, t, b) * outSize,
                        n.batchFirstOut ? n.steps * outSize : outSize,
                        dcCur, b * hidden, hidden, dg, dgOff, g4);
                    if (!uniform) {
                        System.arraycopy(dgStep, b * g4, dGates, row * g4, rows * g4);
                    }
                    b = e;
                }
                if (s == 0 && !n.needsGrad(H0)) {
                    break;
                }
                // dL/dh_{t-1} for all four gates at once
                if (uniform) {
                    int first = timeOf(s, lens[b0], reverse) * batch + b0;
                    Kernels.gemm(nb, dGates, first * g4, g4, wHh, 0f, dhCur, b0 * outSize, outSize);
                } else {
                    Kernels.gemm(nb, dgStep, b0 * g4, g4, wHh, 0f, dhNew, b0 * outSize, outSize);
                    for (int r = b0; r < b1; r++) {
                        if (s < lens[r]) {
                            System.arraycopy(dhNew, r * outSize, dhCur, r * outSize, outSize);
                        }
                    }
                }
            }
        }
    }

    /** Every gradient is a new array (the two bias gradients are two arrays). */
    @Override
    protected boolean returnsNewGradients() {
        return true;
    }

    /** Backward reads the gradients of the outputs and keeps none (h_n's and c_n's it copies). */
    @Override
    protected boolean releasesGradOutputs() {
        return true;
    }

    @Override
    protected void releaseSaved() {
        // the arrays only this node held go back to the pool for the next step
        ArrayPool.give(gates);
        ArrayPool.give(cells);
        ArrayPool.give(tanhCells);
        ArrayPool.give(hPrev);
        ArrayPool.give(xMasked);
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
