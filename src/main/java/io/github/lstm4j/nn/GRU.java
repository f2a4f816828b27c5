package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.GruFunction;

/**
 * Applies a multi-layer gated recurrent unit (GRU) RNN to an input sequence, like
 * {@code torch.nn.GRU}. For each element in the input sequence, each layer computes
 * <pre>
 *   r_t = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)
 *   z_t = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)
 *   n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn))
 *   h_t = (1 - z_t) * n_t + z_t * h_(t-1)
 * </pre>
 * where {@code h_t} is the hidden state at time {@code t}, {@code x_t} the input at time
 * {@code t}, {@code h_(t-1)} the hidden state of the layer at time {@code t-1} or the initial
 * hidden state at time 0, and {@code r_t}, {@code z_t}, {@code n_t} the reset, update and new
 * gates; {@code *} is the elementwise product. In a multilayer GRU the input {@code x^(l)_t} of
 * layer {@code l >= 1} is the hidden state {@code h^(l-1)_t} of the previous layer multiplied by
 * dropout {@code delta^(l-1)_t}, where each {@code delta} is a Bernoulli variable that is 0 with
 * probability {@code dropout} (training mode only).
 *
 * <p>Each layer and direction runs as one fused autograd node ({@link GruFunction}): one GEMM for
 * the input projection of the whole sequence, then one GEMM and one pointwise pass per step.
 *
 * <p>Args (set on {@link #builder}): {@code inputSize}, {@code hiddenSize}, {@code numLayers}
 * (default 1), {@code bias} (default true), {@code batchFirst} (default false; input and output
 * as {@code (N, L, H)} instead of {@code (L, N, H)}, not applied to the states), {@code dropout}
 * (default 0), {@code bidirectional} (default false), {@code generator} (draws the initial
 * parameters and the dropout masks).
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
 *       {@code t}, both directions concatenated; a {@link PackedSequence} for a packed input.</li>
 *   <li>{@code h_n}: {@code (D * num_layers, H_out)} or {@code (D * num_layers, N, H_out)}: the
 *       final hidden state of every layer and direction (for a packed input, taken at each
 *       sequence's last valid step).</li>
 * </ul>
 *
 * <p>Attributes (state-dict names): {@code weight_ih_l[k]} {@code (3*hidden_size, input_size)}
 * for {@code k = 0}, else {@code (3*hidden_size, D*hidden_size)}, the stacked
 * {@code (W_ir|W_iz|W_in)}; {@code weight_hh_l[k]} {@code (3*hidden_size, hidden_size)};
 * {@code bias_ih_l[k]}, {@code bias_hh_l[k]} {@code (3*hidden_size)}; suffix {@code _reverse} for
 * the reverse direction. All are initialised from {@code U(-sqrt(k), sqrt(k))} with
 * {@code k = 1 / hidden_size}.
 *
 * <p>Example:
 * <pre>{@code
 * Generator gen = new Generator(0);
 * GRU rnn = GRU.builder(10, 20).numLayers(2).generator(gen).build();
 * Tensor input = Tensor.randn(gen, 5, 3, 10);
 * Tensor h0 = Tensor.randn(gen, 2, 3, 20);
 * GRU.Output out = rnn.forward(input, h0);   // out.output() (5, 3, 20), out.hN() (2, 3, 20)
 * }</pre>
 */
public class GRU extends RNNBase {

    /** The options of a {@link GRU}, named like PyTorch's keyword arguments. */
    public static final class Builder extends RNNBase.Options<Builder> {
        Builder(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        /**
         * Builds the layer, drawing its parameters from the generator.
         *
         * @throws IllegalArgumentException for a negative input size, a non-positive hidden size
         *     or layer count, or a dropout outside {@code [0, 1]}
         */
        public GRU build() {
            return new GRU(this);
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
     * @param output the last layer's hidden states, packed like the input ({@code (L, N, D*H_out)} time-major data)
     * @param hN the final hidden state of every layer and direction, {@code (D*num_layers, N, H_out)}
     */
    public record PackedOutput(PackedSequence output, Tensor hN) {
    }

    /** Options with PyTorch's defaults, to set by name and {@link Builder#build()}. */
    public static Builder builder(int inputSize, int hiddenSize) {
        return new Builder(inputSize, hiddenSize);
    }

    /** A one-layer GRU with bias, time-major, drawn from the default generator. */
    public GRU(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    /** A {@code numLayers}-layer GRU with bias, time-major, drawn from the default generator. */
    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    private GRU(Builder b) {
        super("GRU", 3, b);
    }

    /**
     * Runs the GRU from a zero initial state.
     *
     * @param input {@code (L, H_in)}, {@code (L, N, H_in)} or batch-first {@code (N, L, H_in)}
     * @throws IllegalArgumentException for a wrong rank or feature size
     */
    public Output forward(Tensor input) {
        return forward(input, null);
    }

    /**
     * Runs the GRU.
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
     * Runs the GRU over sequences of different lengths from a zero initial state.
     *
     * @param input the packed batch
     * @return the packed output (zero past each length) and the states after each sequence's last step
     * @throws IllegalArgumentException for a wrong feature size
     */
    public PackedOutput forward(PackedSequence input) {
        return forward(input, null);
    }

    /**
     * Runs the GRU over sequences of different lengths, each for exactly its own length.
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
        Tensor[] r = GruFunction.apply(x, init[0], w[0], w[1], w[2], w[3], lengths, reverse);
        return new DirectionResult(r[0], r[1], null);
    }
}
