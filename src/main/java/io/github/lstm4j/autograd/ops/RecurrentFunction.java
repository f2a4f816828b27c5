package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Kernels;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * What the fused GRU and Elman RNN layers ({@link GruFunction}, {@link RnnFunction}) share: their
 * inputs {@code (x, h0, W_ih, W_hh, b_ih, b_hh)}, the saved tensors and per-step workspace, the
 * shape checks, the input projection of all steps as one GEMM, and the gradients that backward
 * computes over all steps at once once the gate gradients are known:
 * <pre>
 *   dX = dG_i W_ih      dW_ih = dG_i^T X      dW_hh = dG_h^T H_prev
 *   db_ih = sum of dG_i rows      db_hh = sum of dG_h rows
 * </pre>
 * ({@code dG_i = dG_h} for the Elman RNN, whose gate sums both projections).
 */
abstract class RecurrentFunction extends Node {

    final int steps;
    final int batch;
    final int inputSize;
    final int hidden;
    final int[] lengths;
    final boolean reverse;
    private final String name;
    private Saved x;
    private Saved wIh;
    private Saved wHh;
    /** The per-step values the pointwise backward reads; laid out by the subclass's kernels. */
    float[] ws;

    RecurrentFunction(String name, Tensor x, Tensor h0, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh,
                      int[] lengths, boolean reverse, float[] ws) {
        super(2, x, h0, wIh, wHh, bIh, bHh);
        this.name = name;
        this.steps = x.size(0);
        this.batch = x.size(1);
        this.inputSize = x.size(2);
        this.hidden = wHh.size(1);
        this.lengths = lengths;
        this.reverse = reverse;
        this.x = needsGrad(2) ? Saved.of(x, name) : null;
        this.wIh = needsGrad(0) ? Saved.of(wIh, name) : null;
        this.wHh = Saved.of(wHh, name);
        this.ws = ws;
    }

    @Override
    public String name() {
        return name;
    }

    /** The recurrent weight {@code W_hh}, checked unchanged since forward. */
    final float[] recurrentWeight() {
        return wHh.data();
    }

    /**
     * {@code x W_ih^T + rowBias} for all {@code T*B} rows as one GEMM: a {@code (T*B, G)} array.
     *
     * @param rowBias the {@code G} values added to every row, or null for none
     */
    static float[] projectInputs(Tensor x, Tensor wIh, float[] rowBias) {
        int rows = x.size(0) * x.size(1);
        int in = x.size(2);
        int g = wIh.size(0);
        float[] out = new float[rows * g];
        if (rowBias != null) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(rowBias, 0, out, r * g, g);
            }
        }
        Kernels.gemm(false, true, rows, g, in, x.data(), 0, in, wIh.data(), 0, in, rowBias == null ? 0f : 1f, out, 0,
            g);
        return out;
    }

    /**
     * The gradients of the six inputs once the gate gradients of all steps are known.
     *
     * @param dgi the {@code (T*B, G)} gradient of the input projection
     * @param dgh the {@code (T*B, G)} gradient of the recurrent projection (may be {@code dgi} itself)
     * @param prevOffset where {@code h_{t-1}} starts in each workspace row
     * @param wsw the workspace row width
     * @param dh the gradient of {@code h0}
     * @return {@code {dx, dh0, dW_ih, dW_hh, db_ih, db_hh}}, null where no gradient is needed
     */
    final float[][] inputGradients(float[] dgi, float[] dgh, int prevOffset, int wsw, float[] dh) {
        int rows = steps * batch;
        int g = dgi.length / rows;
        int h = hidden;
        float[] dx = null;
        float[] dwIh = null;
        float[] dwHh = null;
        float[] dbIh = null;
        float[] dbHh = null;
        if (needsGrad(0)) {
            dx = new float[rows * inputSize];
            Kernels.gemm(false, false, rows, inputSize, g, dgi, 0, g, wIh.data(), 0, inputSize, 0f, dx, 0, inputSize);
        }
        if (needsGrad(2)) {
            dwIh = new float[g * inputSize];
            Kernels.gemm(true, false, g, inputSize, rows, dgi, 0, g, x.data(), 0, inputSize, 0f, dwIh, 0, inputSize);
        }
        if (needsGrad(3)) {
            dwHh = new float[g * h];
            Kernels.gemm(true, false, g, h, rows, dgh, 0, g, ws, prevOffset, wsw, 0f, dwHh, 0, h);
        }
        if (needsGrad(4) || needsGrad(5)) {
            float[] ones = new float[rows];
            Arrays.fill(ones, 1f);
            if (needsGrad(4)) {
                dbIh = columnSums(ones, dgi, g);
            }
            if (needsGrad(5)) {
                dbHh = dgh == dgi && dbIh != null ? dbIh.clone() : columnSums(ones, dgh, g);
            }
        }
        return new float[][] {dx, needsGrad(1) ? dh : null, dwIh, dwHh, dbIh, dbHh};
    }

    private static float[] columnSums(float[] ones, float[] m, int g) {
        float[] sums = new float[g];
        Kernels.gemm(false, false, 1, g, ones.length, ones, 0, ones.length, m, 0, g, 0f, sums, 0, g);
        return sums;
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
