package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.LstmFunction;
import io.github.lstm4j.tensor.Shape;

/**
 * A long short-term memory (LSTM) cell, like {@code torch.nn.LSTMCell}: one time step.
 * <pre>
 *   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)
 *   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)
 *   g  = tanh   (W_ig x + b_ig + W_hg h + b_hg)
 *   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)
 *   c' = f * c + i * g
 *   h' = o * tanh(c')
 * </pre>
 *
 * <p>Args: {@code inputSize} - the number of expected features in the input {@code x};
 * {@code hiddenSize} - the number of features in the hidden state; {@code bias} - if false, the cell
 * does not use {@code b_ih} and {@code b_hh} (default true); {@code generator} - draws the initial
 * weights.
 *
 * <p>Inputs: {@code input, (h_0, c_0)}
 * <ul>
 *   <li>{@code input}: {@code (batch, input_size)} or {@code (input_size)}</li>
 *   <li>{@code h_0}, {@code c_0}: {@code (batch, hidden_size)} or {@code (hidden_size)}, the initial
 *       hidden and cell states; zeros if not given</li>
 * </ul>
 * Outputs: {@code (h_1, c_1)}, each {@code (batch, hidden_size)} or {@code (hidden_size)}.
 *
 * <p>Parameters, drawn in this order from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}:
 * {@code weight_ih} {@code (4*hidden_size, input_size)} stacking {@code W_ii|W_if|W_ig|W_io};
 * {@code weight_hh} {@code (4*hidden_size, hidden_size)}; {@code bias_ih}, {@code bias_hh}
 * {@code (4*hidden_size)}.
 *
 * <p>Example:
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);
 * Tensor h = Tensor.zeros(3, 20), c = Tensor.zeros(3, 20);
 * for (Tensor x : steps) {          // each (3, 10)
 *     LSTMCell.Output s = cell.forward(x, h, c);
 *     h = s.h1();
 *     c = s.c1();
 * }
 * }</pre>
 */
public class LSTMCell extends Module {

    /** The new hidden and cell states. */
    public record Output(Tensor h1, Tensor c1) {
    }

    private final int inputSize;
    private final int hiddenSize;
    /** {@code (4*hidden_size, input_size)}. */
    public final Parameter weightIh;
    /** {@code (4*hidden_size, hidden_size)}. */
    public final Parameter weightHh;
    /** {@code (4*hidden_size)}, or null without bias. */
    public final Parameter biasIh;
    /** {@code (4*hidden_size)}, or null without bias. */
    public final Parameter biasHh;

    /** A cell with bias, initialised from the default generator. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Generator.defaultGenerator());
    }

    /** A cell with or without bias, initialised from the default generator. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        this(inputSize, hiddenSize, bias, Generator.defaultGenerator());
    }

    /**
     * A cell initialised from {@code gen}.
     *
     * @throws IllegalArgumentException for a negative input size or a hidden size below 1
     */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Generator gen) {
        if (inputSize < 0) {
            throw new IllegalArgumentException("LSTMCell: input_size must be >= 0, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("LSTMCell: hidden_size must be greater than zero, got " + hiddenSize);
        }
        if (4L * hiddenSize * Math.max(Math.max(inputSize, hiddenSize), 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("LSTMCell: hidden_size " + hiddenSize + " with input_size " + inputSize
                + " makes weights of more than 2^31-1 values");
        }
        if (gen == null) {
            throw new IllegalArgumentException("LSTMCell: generator must not be null");
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        int g = 4 * hiddenSize;
        weightIh = registerParameter("weight_ih", Tensor.uniform(gen, -bound, bound, g, inputSize));
        weightHh = registerParameter("weight_hh", Tensor.uniform(gen, -bound, bound, g, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Tensor.uniform(gen, -bound, bound, g)) : null;
        biasHh = bias ? registerParameter("bias_hh", Tensor.uniform(gen, -bound, bound, g)) : null;
    }

    /** The input feature count. */
    public int inputSize() {
        return inputSize;
    }

    /** The hidden size. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** One step from zero states; see {@link #forward(Tensor, Tensor, Tensor)}. */
    public Output forward(Tensor input) {
        return forward(input, null, null);
    }

    /**
     * One step.
     *
     * @param input {@code (batch, input_size)} or unbatched {@code (input_size)}
     * @param h {@code (batch, hidden_size)} (unbatched {@code (hidden_size)}), or null for zeros
     * @param c like {@code h}
     * @return {@code (h_1, c_1)}, shaped like {@code h}
     * @throws IllegalArgumentException when the input is not 1-D or 2-D, its last dimension is not
     *     {@code input_size}, exactly one state is null, or a state's shape is not the expected one
     *     (the message names both shapes)
     */
    public Output forward(Tensor input, Tensor h, Tensor c) {
        int rank = input.dim();
        if (rank != 1 && rank != 2) {
            throw new IllegalArgumentException("LSTMCell: Expected input to be 1D or 2D, got " + rank
                + "D input instead (shape " + Shape.format(input.shape()) + ")");
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException("LSTMCell: input has inconsistent input_size: got " + input.size(-1)
                + ", expected " + inputSize + " (input shape " + Shape.format(input.shape()) + ")");
        }
        if ((h == null) != (c == null)) {
            throw new IllegalArgumentException("LSTMCell: give both states (h_0, c_0) or neither, got "
                + (h == null ? "only c_0" : "only h_0"));
        }
        boolean batched = rank == 2;
        int batch = batched ? input.size(0) : 1;
        int[] expected = batched ? new int[] {batch, hiddenSize} : new int[] {hiddenSize};
        Tensor[] hx = {h, c};
        for (int i = 0; i < 2; i++) {
            Tensor s = hx[i];
            if (s != null && !java.util.Arrays.equals(s.shape(), expected)) {
                throw new IllegalArgumentException("LSTMCell: Expected hx[" + i + "] (" + (i == 0 ? "h_0" : "c_0")
                    + ") of shape " + Shape.format(expected) + " for input of shape " + Shape.format(input.shape())
                    + ", got " + Shape.format(s.shape()));
            }
        }
        Tensor x = input.reshape(1, batch, inputSize);
        Tensor h0 = h == null ? null : h.reshape(batch, hiddenSize);
        Tensor c0 = c == null ? null : c.reshape(batch, hiddenSize);
        Tensor[] r = LstmFunction.apply(x, h0, c0, weightIh, weightHh, biasIh, biasHh, null, null, false);
        Tensor h1 = r[1];
        Tensor c1 = r[2];
        if (!batched) {
            h1 = h1.reshape(hiddenSize);
            c1 = c1.reshape(hiddenSize);
        }
        return new Output(h1, c1);
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
