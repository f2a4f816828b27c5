package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.GruFunction;

/**
 * A gated recurrent unit (GRU) cell, like {@code torch.nn.GRUCell}:
 * <pre>
 *   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * where {@code *} is the elementwise product. One step of {@link GRU}, computed by the same
 * fused op with a sequence of length 1.
 *
 * <p>Args: {@code inputSize} (features of {@code x}), {@code hiddenSize} (features of {@code h}),
 * {@code bias} (default true; false drops {@code b_ih} and {@code b_hh}), {@code generator}
 * (draws the parameters; default the default generator).
 *
 * <p>Inputs: {@code input, hidden}
 * <ul>
 *   <li>{@code input}: {@code (N, H_in)} or unbatched {@code (H_in)}.</li>
 *   <li>{@code hidden}: {@code (N, H_out)} or unbatched {@code (H_out)}; zeros if null.</li>
 * </ul>
 * Output: {@code h'} of shape {@code (N, H_out)} or {@code (H_out)}.
 *
 * <p>Attributes (state-dict names): {@code weight_ih} {@code (3*hidden_size, input_size)},
 * {@code weight_hh} {@code (3*hidden_size, hidden_size)}, {@code bias_ih}, {@code bias_hh}
 * {@code (3*hidden_size)}, gate blocks in the order {@code r, z, n}, all initialised from
 * {@code U(-sqrt(k), sqrt(k))} with {@code k = 1 / hidden_size}, in that order.
 *
 * <p>Example:
 * <pre>{@code
 * Generator gen = new Generator(0);
 * GRUCell cell = new GRUCell(10, 20, true, gen);
 * Tensor hx = Tensor.randn(gen, 3, 20);
 * for (int t = 0; t < 6; t++) {
 *     hx = cell.forward(Tensor.randn(gen, 3, 10), hx);
 * }
 * }</pre>
 */
public class GRUCell extends Module {

    private final int inputSize;
    private final int hiddenSize;
    /** {@code weight_ih}, {@code (3*hidden_size, input_size)}. */
    public final Parameter weightIh;
    /** {@code weight_hh}, {@code (3*hidden_size, hidden_size)}. */
    public final Parameter weightHh;
    /** {@code bias_ih}, {@code (3*hidden_size)}, or null without bias. */
    public final Parameter biasIh;
    /** {@code bias_hh}, {@code (3*hidden_size)}, or null without bias. */
    public final Parameter biasHh;

    /** A cell with bias, drawn from the default generator. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /** A cell drawn from the default generator. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        this(inputSize, hiddenSize, bias, Generator.defaultGenerator());
    }

    /**
     * A cell drawn from {@code gen}.
     *
     * @throws IllegalArgumentException for a negative input size or a non-positive hidden size
     */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Generator gen) {
        Parameter[] p = RNNCell.registerCellParameters(this, "GRUCell", inputSize, hiddenSize, 3, bias, gen);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.weightIh = p[0];
        this.weightHh = p[1];
        this.biasIh = p[2];
        this.biasHh = p[3];
    }

    /** The input feature count. */
    public int inputSize() {
        return inputSize;
    }

    /** The hidden size. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** One step from a zero state: {@code forward(input, null)}. */
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * One step.
     *
     * @param input {@code (N, H_in)} or {@code (H_in)}
     * @param hx {@code (N, H_out)} or {@code (H_out)} (same batching as the input), or null for zeros
     * @return {@code h'}, {@code (N, H_out)} or {@code (H_out)}
     * @throws IllegalArgumentException naming the expected and actual shapes when they do not fit
     */
    public Tensor forward(Tensor input, Tensor hx) {
        Tensor[] xh = RNNCell.batchedInputs("GRUCell", input, hx, inputSize, hiddenSize);
        Tensor h1 = GruFunction.apply(xh[0].unsqueeze(0), xh[1], weightIh, weightHh, biasIh, biasHh, null,
            false)[1];
        return input.dim() == 1 ? h1.squeeze(0) : h1;
    }

    @Override
    protected String extraRepr() {
        return RNNCell.cellRepr(inputSize, hiddenSize, biasIh != null);
    }
}
