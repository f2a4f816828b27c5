package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.RnnFunction;

/**
 * Applies a multi-layer Elman RNN with {@code tanh} or {@code relu} nonlinearity to an input
 * sequence, like {@code torch.nn.RNN}. For each element in the input sequence, each layer computes
 * <pre>
 *   h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)
 * </pre>
 * (with {@code relu} in place of {@code tanh} when {@code nonlinearity("relu")}), where
 * {@code h_t} is the hidden state at time {@code t}, {@code x_t} the input at time {@code t} and
 * {@code h_(t-1)} the hidden state of the previous layer at time {@code t-1} or the initial hidden
 * state at time 0. In a multilayer RNN the input of layer {@code l >= 1} is the previous layer's
 * output, with dropout of probability {@code dropout} applied in training mode.
 *
 * <p>Each layer and direction runs as one fused autograd node ({@link RnnFunction}): one GEMM for
 * the input projection of the whole sequence, then one GEMM and one pointwise pass per step.
 *
 * <p>Args (set on {@link #builder}): {@code inputSize}, {@code hiddenSize}, {@code numLayers}
 * (default 1), {@code nonlinearity} ({@code "tanh"} or {@code "relu"}, default {@code "tanh"}),
 * {@code bias} (default true), {@code batchFirst} (default false), {@code dropout} (default 0),
 * {@code bidirectional} (default false), {@code generator}.
 *
 * <p>Inputs: {@code input, h_0}
 * <ul>
 *   <li>{@code input}: {@code (L, H_in)} unbatched, {@code (L, N, H_in)} or with
 *       {@code batchFirst} {@code (N, L, H_in)}; or a {@link PackedSequence}.</li>
 *   <li>{@code h_0}: {@code (D * num_layers, H_out)} unbatched or {@code (D * num_layers, N, H_out)};
 *       zeros if not given.</li>
 * </ul>
 * where {@code N} is the batch size, {@code L} the sequence length, {@code D} 2 if bidirectional
 * else 1, {@code H_in = inputSize} and {@code H_out = hiddenSize}.
 *
 * <p>Outputs: {@code output, h_n}
 * <ul>
 *   <li>{@code output}: {@code (L, D * H_out)} unbatched, {@code (L, N, D * H_out)} or with
 *       {@code batchFirst} {@code (N, L, D * H_out)}: the last layer's {@code h_t} for every
 *       {@code t}; a {@link PackedSequence} for a packed input.</li>
 *   <li>{@code h_n}: {@code (D * num_layers, H_out)} or {@code (D * num_layers, N, H_out)}: the
 *       final hidden state of every layer and direction (for a packed input, taken at each
 *       sequence's last valid step).</li>
 * </ul>
 *
 * <p>Attributes (state-dict names): {@code weight_ih_l[k]} {@code (hidden_size, input_size)} for
 * {@code k = 0}, else {@code (hidden_size, D*hidden_size)}; {@code weight_hh_l[k]}
 * {@code (hidden_size, hidden_size)}; {@code bias_ih_l[k]}, {@code bias_hh_l[k]}
 * {@code (hidden_size)}; suffix {@code _reverse} for the reverse direction. All are initialised
 * from {@code U(-sqrt(k), sqrt(k))} with {@code k = 1 / hidden_size}.
 *
 * <p>Example:
 * <pre>{@code
 * Generator gen = new Generator(0);
 * RNN rnn = RNN.builder(10, 20).numLayers(2).nonlinearity("relu").generator(gen).build();
 * RNN.Output out = rnn.forward(Tensor.randn(gen, 5, 3, 10), Tensor.randn(gen, 2, 3, 20));
 * }</pre>
 */
public class RNN extends RNNBase {

    /** The options of an {@link RNN}, named like PyTorch's keyword arguments. */
    public static final class Builder extends RNNBase.Options<Builder> {
        Builder(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        /** The nonlinearity, {@code "tanh"} (default) or {@code "relu"}; checked by {@link #build()}. */
        public Builder nonlinearity(String name) {
            nonlinearity = name;
            return this;
        }

        /**
         * Builds the layer, drawing its parameters from the generator.
         *
         * @throws IllegalArgumentException for an unknown nonlinearity, a negative input size, a
         *     non-positive hidden size or layer count, or a dropout outside {@code [0, 1]}
         */
        public RNN build() {
            return new RNN(this);
        }
    }

    /**
     * The result of a forward pass over a padded tensor.
     *
     * @param output the last layer's hidden states for every step, {@code (L, N, D*H_out)} (see the class doc)
     * @param hN the final hidden state of every layer and direction, {@code (D*num_layers, N, H_out)}
     */
    public record Output(Tensor output, Tensor hN) {
    }

    /**
     * The result of a forward pass over a packed sequence.
     *
     * @param output the last layer's hidden states, packed like the input
     * @param hN the final hidden state of every layer and direction, {@code (D*num_layers, N, H_out)}
     */
    public record PackedOutput(PackedSequence output, Tensor hN) {
    }

    private final boolean relu;

    /** Options with PyTorch's defaults, to set by name and {@link Builder#build()}. */
    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
    }

    /** A one-layer tanh RNN with bias, time-major, drawn from the default generator. */
    public RNN(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    /** A {@code numLayers}-layer tanh RNN with bias, time-major, drawn from the default generator. */
    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    private RNN(Builder b) {
        super(mode(b.nonlinearity), 1, b);
        this.relu = "relu".equals(b.nonlinearity);
    }

    /** PyTorch's mode name for a nonlinearity, or PyTorch's error for an unknown one. */
    static String mode(String nonlinearity) {
        if ("tanh".equals(nonlinearity)) {
            return "RNN_TANH";
        }
        if ("relu".equals(nonlinearity)) {
            return "RNN_RELU";
        }
        throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity + "'. Select from 'tanh' or 'relu'.");
    }

    /** The nonlinearity, {@code "tanh"} or {@code "relu"}. */
    public String nonlinearity() {
        return relu ? "relu" : "tanh";
    }

    /**
     * Runs the RNN from a zero initial state.
     *
     * @param input {@code (L, H_in)}, {@code (L, N, H_in)} or batch-first {@code (N, L, H_in)}
     * @throws IllegalArgumentException for a wrong rank or feature size
     */
    public Output forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * Runs the RNN.
     *
     * @param input {@code (L, H_in)}, {@code (L, N, H_in)} or batch-first {@code (N, L, H_in)}
     * @param h0 {@code (D*num_layers, H_out)} for unbatched input, else {@code (D*num_layers, N, H_out)}; null for zeros
     * @throws IllegalArgumentException for a wrong rank or feature size of the input or a wrong state shape
     */
    public Output forward(Tensor input, Tensor h0) {
        Tensor[] r = forwardAll(input, new Tensor[] {h0}, null);
        return new Output(r[0], r[1]);
    }

    /**
     * Runs the RNN over sequences of different lengths from a zero initial state.
     *
     * @param input the packed batch
     * @return the packed output (zero past each length) and the states after each sequence's last step
     * @throws IllegalArgumentException for a wrong feature size
     */
    public PackedOutput forward(PackedSequence input) {
        return forward(input, null);
    }

    /**
     * Runs the RNN over sequences of different lengths, each for exactly its own length.
     *
     * @param input the packed batch
     * @param h0 {@code (D*num_layers, N, H_out)}, or null for zeros
     * @return the packed output (zero past each length) and the states after each sequence's last step
     * @throws IllegalArgumentException for a wrong feature size or state shape
     */
    public PackedOutput forward(PackedSequence input, Tensor h0) {
        int[] lengths = input.lengths();
        Tensor[] r = forwardAll(input.data(), new Tensor[] {h0}, lengths);
        return new PackedOutput(PackedSequence.ofTimeMajor(r[0], lengths), r[1]);
    }

    @Override
    protected int stateCount() {
        return 1;
    }

    @Override
    protected DirectionResult runDirection(int layer, Tensor x, Tensor[] init, Parameter[] w, int[] lengths,
                                           boolean reverse) {
        Tensor[] r = RnnFunction.apply(x, init[0], w[0], w[1], w[2], w[3], relu, lengths, reverse);
        return new DirectionResult(r[0], r[1], null);
    }
}
