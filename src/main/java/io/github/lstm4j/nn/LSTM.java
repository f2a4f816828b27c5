package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.LstmFunction;

/**
 * Applies a multi-layer long short-term memory (LSTM) RNN to an input sequence, like
 * {@code torch.nn.LSTM}. For each element in the input sequence, each layer computes:
 * <pre>
 *   i_t = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)
 *   f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)
 *   g_t = tanh   (W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
 *   o_t = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)
 *   c_t = f_t * c_{t-1} + i_t * g_t
 *   h_t = o_t * tanh(c_t)
 * </pre>
 * where {@code h_t} is the hidden state at time {@code t}, {@code c_t} the cell state, {@code x_t}
 * the input, {@code h_{t-1}} the hidden state of the layer at time {@code t-1} or the initial
 * hidden state at time 0, and {@code i_t, f_t, g_t, o_t} the input, forget, cell and output gates.
 * In a multilayer LSTM the input {@code x_t^(l)} of layer {@code l >= 1} is the hidden state
 * {@code h_t^(l-1)} of the layer below multiplied by dropout {@code delta_t^(l-1)}, a Bernoulli
 * mask that is 0 with probability {@code dropout} (training mode only). With {@code projSize > 0}
 * the hidden state is projected, {@code h_t = W_hr (o_t * tanh(c_t))}, so {@code h_t} and the output
 * have size {@code proj_size} ({@code H_out}) while {@code c_t} keeps {@code hidden_size}.
 *
 * <p>Each layer and direction runs as one fused autograd node ({@link LstmFunction}): one GEMM for
 * the input projection of all steps, one GEMM per step for the four recurrent gates, one fused
 * pointwise pass per step, and single GEMMs over all steps for the weight gradients.
 *
 * <p>Args (set through {@link #builder}, named as PyTorch's keyword arguments):
 * <ul>
 *   <li>{@code inputSize} - the number of expected features in the input {@code x}</li>
 *   <li>{@code hiddenSize} - the number of features in the hidden state {@code h}</li>
 *   <li>{@code numLayers} - number of stacked recurrent layers (default 1)</li>
 *   <li>{@code bias} - if false, the layers do not use {@code b_ih} and {@code b_hh} (default true)</li>
 *   <li>{@code batchFirst} - if true, input and output are {@code (batch, seq, feature)} instead of
 *       {@code (seq, batch, feature)}; states are not affected (default false)</li>
 *   <li>{@code dropout} - if non-zero, a dropout layer on the outputs of each layer except the last,
 *       with this probability (default 0)</li>
 *   <li>{@code bidirectional} - if true, a bidirectional LSTM (default false)</li>
 *   <li>{@code projSize} - if {@code > 0}, an LSTM with projections of this size (default 0)</li>
 *   <li>{@code generator} - draws the initial weights and the dropout masks</li>
 * </ul>
 *
 * <p>Inputs: {@code input, (h_0, c_0)}
 * <ul>
 *   <li>{@code input}: {@code (L, H_in)} unbatched, {@code (L, N, H_in)}, or {@code (N, L, H_in)} with
 *       {@code batchFirst}; or a {@link PackedSequence}</li>
 *   <li>{@code h_0}: {@code (D * num_layers, H_out)} unbatched or {@code (D * num_layers, N, H_out)};
 *       zeros if not given</li>
 *   <li>{@code c_0}: {@code (D * num_layers, H_cell)} unbatched or {@code (D * num_layers, N, H_cell)};
 *       zeros if not given</li>
 * </ul>
 * with {@code N} the batch size, {@code L} the sequence length, {@code D} 2 if bidirectional else 1,
 * {@code H_cell = hidden_size} and {@code H_out = proj_size} if set, else {@code hidden_size}.
 *
 * <p>Outputs: {@code output, (h_n, c_n)}
 * <ul>
 *   <li>{@code output}: {@code (L, D * H_out)} unbatched, {@code (L, N, D * H_out)}, or
 *       {@code (N, L, D * H_out)} with {@code batchFirst}: {@code h_t} of the last layer for each
 *       {@code t}, the directions concatenated; for a packed input, a packed sequence</li>
 *   <li>{@code h_n}: {@code (D * num_layers, H_out)} unbatched or {@code (D * num_layers, N, H_out)}:
 *       the final hidden state of each layer and direction (the reverse direction's final state is
 *       the one at time 0)</li>
 *   <li>{@code c_n}: {@code (D * num_layers, H_cell)} unbatched or {@code (D * num_layers, N, H_cell)}</li>
 * </ul>
 *
 * <p>Parameters, per layer {@code k} (suffix {@code _reverse} for the reverse direction), all drawn
 * from {@code U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))}: {@code weight_ih_l{k}}
 * {@code (4*hidden_size, input_size)} for {@code k = 0}, else {@code (4*hidden_size, D*H_out)}, the
 * gates stacked {@code W_ii|W_if|W_ig|W_io}; {@code weight_hh_l{k}} {@code (4*hidden_size, H_out)};
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code (4*hidden_size)}; {@code weight_hr_l{k}}
 * {@code (proj_size, hidden_size)} with a projection.
 *
 * <p>Example:
 * <pre>{@code
 * LSTM rnn = LSTM.builder(10, 20).numLayers(2).build();
 * Tensor input = Tensor.randn(gen, 5, 3, 10);
 * Tensor h0 = Tensor.randn(gen, 2, 3, 20);
 * Tensor c0 = Tensor.randn(gen, 2, 3, 20);
 * LSTM.Output out = rnn.forward(input, h0, c0);   // out.output(): (5, 3, 20)
 * }</pre>
 */
public class LSTM extends RNNBase {

    /** The forward result: {@code output} and the final states {@code h_n}, {@code c_n}. */
    public record Output(Tensor output, Tensor hN, Tensor cN) {
    }

    /** The forward result for a packed input: a packed {@code output} and {@code h_n}, {@code c_n}. */
    public record PackedOutput(PackedSequence output, Tensor hN, Tensor cN) {
    }

    /**
     * {@code nn.LSTM}'s keyword arguments with PyTorch's defaults, plus {@link #projSize(int)}.
     * Obtain one from {@link LSTM#builder(int, int)}.
     */
    public static final class Options extends RNNBase.Options<Options> {

        Options(int inputSize, int hiddenSize) {
            super(inputSize, hiddenSize);
        }

        /** An LSTM with projections of this size if {@code > 0} (default 0); must be below hiddenSize. */
        public Options projSize(int p) {
            projSize = p;
            return this;
        }

        /**
         * Builds the LSTM, drawing its parameters from the generator.
         *
         * @throws IllegalArgumentException for an invalid option (each message names it and its value)
         */
        public LSTM build() {
            return new LSTM(this);
        }
    }

    /**
     * Starts an options builder: {@code LSTM.builder(10, 20).numLayers(2).bidirectional(true).build()}.
     *
     * @param inputSize the number of expected features in the input
     * @param hiddenSize the number of features in the hidden state
     */
    public static Options builder(int inputSize, int hiddenSize) {
        return new Options(inputSize, hiddenSize);
    }

    /** A one-layer LSTM with PyTorch's defaults, initialised from the default generator. */
    public LSTM(int inputSize, int hiddenSize) {
        this(builder(inputSize, hiddenSize));
    }

    /** A stacked LSTM with PyTorch's other defaults, initialised from the default generator. */
    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(builder(inputSize, hiddenSize).numLayers(numLayers));
    }

    /**
     * An LSTM with the given options.
     *
     * @throws IllegalArgumentException for an invalid option, e.g. {@code projSize >= hiddenSize}
     */
    public LSTM(Options options) {
        super("LSTM", 4, options);
    }

    @Override
    protected int stateCount() {
        return 2;
    }

    @Override
    protected DirectionResult runDirection(int layer, Tensor x, Tensor[] init, Parameter[] w, int[] lengths,
                                           boolean reverse) {
        Tensor[] r = LstmFunction.apply(x, init[0], init[1], w[0], w[1], w[2], w[3], w[4], lengths, reverse);
        return new DirectionResult(r[0], r[1], r[2]);
    }

    /** Writes a batch-first output directly ({@link LstmFunction#apply} with {@code batchFirstOutput}). */
    @Override
    protected DirectionResult runDirection(int layer, Tensor x, Tensor[] init, Parameter[] w, int[] lengths,
                                           boolean reverse, boolean batchFirstOutput) {
        Tensor[] r = LstmFunction.apply(x, init[0], init[1], w[0], w[1], w[2], w[3], w[4], lengths, reverse,
                batchFirstOutput);
        return new DirectionResult(r[0], r[1], r[2]);
    }

    /**
     * Runs the LSTM from zero initial states.
     *
     * @param input {@code (L, H_in)}, {@code (L, N, H_in)} or, batch-first, {@code (N, L, H_in)}
     * @return output and {@code (h_n, c_n)}, shaped as in the class documentation
     * @throws IllegalArgumentException when the input is not 2-D or 3-D or its last dimension is not
     *     {@code inputSize}
     */
    public Output forward(Tensor input) {
        return forward(input, null, null);
    }

    /**
     * Runs the LSTM from the given initial states.
     *
     * @param input {@code (L, H_in)}, {@code (L, N, H_in)} or, batch-first, {@code (N, L, H_in)}
     * @param h0 {@code (D * num_layers, N, H_out)} ({@code (D * num_layers, H_out)} unbatched), or null
     * @param c0 {@code (D * num_layers, N, H_cell)} ({@code (D * num_layers, H_cell)} unbatched), or null
     * @return output and {@code (h_n, c_n)}, shaped as in the class documentation
     * @throws IllegalArgumentException when exactly one of {@code h0}, {@code c0} is null, or a shape
     *     does not fit (the message names the expected and the actual shape)
     */
    public Output forward(Tensor input, Tensor h0, Tensor c0) {
        Tensor[] r = forwardAll(input, states(h0, c0), null);
        return new Output(r[0], r[1], r[2]);
    }

    /**
     * Runs the LSTM over a batch of variable-length sequences, like PyTorch over
     * {@code pack_padded_sequence(x, lengths, enforce_sorted=False)}: each sequence runs for its own
     * length in both directions, its output is zero past that length and its final states are taken
     * at its last valid step.
     *
     * @param input the packed batch of {@code N} sequences with {@code H_in} features
     * @param h0 {@code (D * num_layers, N, H_out)} or null
     * @param c0 {@code (D * num_layers, N, H_cell)} or null
     * @return a packed output with {@code D * H_out} features (same lengths) and {@code (h_n, c_n)}
     * @throws IllegalArgumentException when exactly one state is null or a shape does not fit
     */
    public PackedOutput forward(PackedSequence input, Tensor h0, Tensor c0) {
        int[] lengths = input.lengths();
        Tensor[] r = forwardAll(input.data(), states(h0, c0), lengths);
        return new PackedOutput(PackedSequence.ofTimeMajor(r[0], lengths), r[1], r[2]);
    }

    /** Runs the LSTM over a packed batch from zero initial states. */
    public PackedOutput forward(PackedSequence input) {
        return forward(input, null, null);
    }

    private static Tensor[] states(Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("LSTM: give both initial states (h_0, c_0) or neither, got "
                + (h0 == null ? "only c_0" : "only h_0"));
        }
        return h0 == null ? null : new Tensor[] {h0, c0};
    }
}
