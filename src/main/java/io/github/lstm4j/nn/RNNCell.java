package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.RnnFunction;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * An Elman RNN cell with {@code tanh} or {@code relu} nonlinearity, like {@code torch.nn.RNNCell}:
 * <pre>
 *   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
 * </pre>
 * ({@code relu} in place of {@code tanh} for {@code nonlinearity = "relu"}). One step of
 * {@link RNN}, computed by the same fused op with a sequence of length 1.
 *
 * <p>Args: {@code inputSize} (features of {@code x}), {@code hiddenSize} (features of {@code h}),
 * {@code bias} (default true; false drops {@code b_ih} and {@code b_hh}), {@code nonlinearity}
 * ({@code "tanh"} or {@code "relu"}, default {@code "tanh"}), {@code generator} (draws the
 * parameters; default the default generator).
 *
 * <p>Inputs: {@code input, hidden}
 * <ul>
 *   <li>{@code input}: {@code (N, H_in)} or unbatched {@code (H_in)}.</li>
 *   <li>{@code hidden}: {@code (N, H_out)} or unbatched {@code (H_out)}; zeros if null.</li>
 * </ul>
 * Output: {@code h'} of shape {@code (N, H_out)} or {@code (H_out)}.
 *
 * <p>Attributes (state-dict names): {@code weight_ih} {@code (hidden_size, input_size)},
 * {@code weight_hh} {@code (hidden_size, hidden_size)}, {@code bias_ih}, {@code bias_hh}
 * {@code (hidden_size)}, all initialised from {@code U(-sqrt(k), sqrt(k))} with
 * {@code k = 1 / hidden_size}, in that order.
 *
 * <p>Example:
 * <pre>{@code
 * Generator gen = new Generator(0);
 * RNNCell cell = new RNNCell(10, 20, true, "tanh", gen);
 * Tensor hx = Tensor.randn(gen, 3, 20);
 * for (int t = 0; t < 6; t++) {
 *     hx = cell.forward(Tensor.randn(gen, 3, 10), hx);
 * }
 * }</pre>
 */
public class RNNCell extends Module {

    private final int inputSize;
    private final int hiddenSize;
    private final boolean relu;
    /** {@code weight_ih}, {@code (hidden_size, input_size)}. */
    public final Parameter weightIh;
    /** {@code weight_hh}, {@code (hidden_size, hidden_size)}. */
    public final Parameter weightHh;
    /** {@code bias_ih}, {@code (hidden_size)}, or null without bias. */
    public final Parameter biasIh;
    /** {@code bias_hh}, {@code (hidden_size)}, or null without bias. */
    public final Parameter biasHh;

    /** A tanh cell with bias, drawn from the default generator. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /** A cell drawn from the default generator. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        this(inputSize, hiddenSize, bias, nonlinearity, Generator.defaultGenerator());
    }

    /**
     * A cell drawn from {@code gen}.
     *
     * @throws IllegalArgumentException for an unknown nonlinearity, a negative input size or a
     *     non-positive hidden size
     */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity, Generator gen) {
        this.relu = RNN.mode(nonlinearity).equals("RNN_RELU");
        Parameter[] p = registerCellParameters(this, "RNNCell", inputSize, hiddenSize, 1, bias, gen);
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

    /** The nonlinearity, {@code "tanh"} or {@code "relu"}. */
    public String nonlinearity() {
        return relu ? "relu" : "tanh";
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
        Tensor[] xh = batchedInputs("RNNCell", input, hx, inputSize, hiddenSize);
        Tensor h1 = RnnFunction.apply(xh[0].unsqueeze(0), xh[1], weightIh, weightHh, biasIh, biasHh, relu,
            null, false)[1];
        return input.dim() == 1 ? h1.squeeze(0) : h1;
    }

    @Override
    protected String extraRepr() {
        return cellRepr(inputSize, hiddenSize, biasIh != null) + (relu ? ", nonlinearity=relu" : "");
    }

    /**
     * Registers {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh} of a cell with
     * {@code gates} gate blocks and draws them, in that order, from {@code U(-1/sqrt(H), 1/sqrt(H))}.
     *
     * @return {w_ih, w_hh, b_ih or null, b_hh or null}
     */
    static Parameter[] registerCellParameters(Module m, String name, int inputSize, int hiddenSize, int gates,
                                              boolean bias, Generator gen) {
        if (inputSize < 0) {
            throw new IllegalArgumentException(name + ": input_size must be >= 0, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException(name + ": hidden_size must be greater than zero, got " + hiddenSize);
        }
        if ((long) gates * hiddenSize * Math.max(Math.max(inputSize, hiddenSize), 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": hidden_size " + hiddenSize + " with input_size " + inputSize
                + " makes weights of more than 2^31-1 values");
        }
        if (gen == null) {
            throw new IllegalArgumentException(name + ": generator must not be null");
        }
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        int rows = gates * hiddenSize;
        Parameter[] p = new Parameter[4];
        p[0] = m.registerParameter("weight_ih", Tensor.uniform(gen, -bound, bound, rows, inputSize));
        p[1] = m.registerParameter("weight_hh", Tensor.uniform(gen, -bound, bound, rows, hiddenSize));
        if (bias) {
            p[2] = m.registerParameter("bias_ih", Tensor.uniform(gen, -bound, bound, rows));
            p[3] = m.registerParameter("bias_hh", Tensor.uniform(gen, -bound, bound, rows));
        }
        return p;
    }

    /**
     * PyTorch's checks of a cell's input and state, then both as 2-D: {x (N, H_in), h (N, H_out)}
     * (an unbatched input becomes a batch of one; a null state becomes zeros).
     *
     * @throws IllegalArgumentException naming the expected and actual shapes
     */
    static Tensor[] batchedInputs(String name, Tensor input, Tensor hx, int inputSize, int hiddenSize) {
        int rank = input.dim();
        if (rank != 1 && rank != 2) {
            throw new IllegalArgumentException(name + ": Expected input to be 1-D or 2-D but received " + rank
                + "-D tensor of shape " + Shape.format(input.shape()));
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input has inconsistent input_size: got " + input.size(-1)
                + " expected " + inputSize + " (input shape " + Shape.format(input.shape()) + ")");
        }
        boolean batched = rank == 2;
        Tensor x = batched ? input : input.unsqueeze(0);
        int batch = x.size(0);
        if (hx == null) {
            return new Tensor[] {x, Tensor.zeros(batch, hiddenSize)};
        }
        if (hx.dim() != 1 && hx.dim() != 2) {
            throw new IllegalArgumentException(name + ": Expected hidden to be 1-D or 2-D but received " + hx.dim()
                + "-D tensor of shape " + Shape.format(hx.shape()));
        }
        int[] expected = batched ? new int[] {batch, hiddenSize} : new int[] {hiddenSize};
        if (!Arrays.equals(hx.shape(), expected)) {
            throw new IllegalArgumentException(name + ": Expected hidden of shape " + Shape.format(expected)
                + " for input of shape " + Shape.format(input.shape()) + ", got " + Shape.format(hx.shape()));
        }
        return new Tensor[] {x, batched ? hx : hx.unsqueeze(0)};
    }

    /** {@code "in, hidden"} plus {@code ", bias=False"} when there is no bias. */
    static String cellRepr(int inputSize, int hiddenSize, boolean bias) {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
