package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link LSTM}, {@link GRU} and {@link RNN} share, like PyTorch's {@code RNNBase}: the
 * options, the parameters and their PyTorch names, argument checks, and the orchestration of
 * layers and directions (batch-first and unbatched layouts, initial states, dropout between
 * layers, packed sequences). Each subclass supplies one fused autograd op that runs a single
 * layer in a single direction over the whole sequence.
 *
 * <p>Parameters, per layer {@code k} and direction (suffix {@code _reverse} for the backward one),
 * registered and initialised in PyTorch's order from {@code U(-1/sqrt(H), 1/sqrt(H))}:
 * {@code weight_ih_l{k}} {@code (G*H, in_k)}, {@code weight_hh_l{k}} {@code (G*H, H_out)},
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} {@code (G*H)}, and with a projection
 * {@code weight_hr_l{k}} {@code (P, H)}; {@code G} is 4 for LSTM, 3 for GRU, 1 for RNN,
 * {@code H_out} is {@code P} with a projection and {@code H} otherwise, {@code in_0} is the input
 * size and {@code in_k = D * H_out} above it.
 */
public abstract class RNNBase extends Module {

    private static final Logger log = LoggerFactory.getLogger(RNNBase.class);

    /** The constructor arguments, with PyTorch's defaults; set them by name, as in PyTorch. */
    public static class Options<B extends Options<B>> {
        final int inputSize;
        final int hiddenSize;
        int numLayers = 1;
        boolean bias = true;
        boolean batchFirst = false;
        double dropout = 0;
        boolean bidirectional = false;
        int projSize = 0;
        String nonlinearity = "tanh";
        Generator generator = Generator.defaultGenerator();

        Options(int inputSize, int hiddenSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** Stacked layers (default 1). */
        public B numLayers(int n) {
            numLayers = n;
            return self();
        }

        /** Whether the layers have {@code bias_ih}/{@code bias_hh} (default true). */
        public B bias(boolean b) {
            bias = b;
            return self();
        }

        /** Input and output as {@code (B, T, *)} instead of {@code (T, B, *)} (default false). */
        public B batchFirst(boolean b) {
            batchFirst = b;
            return self();
        }

        /** Dropout probability on the outputs of every layer but the last, in training mode (default 0). */
        public B dropout(double p) {
            dropout = p;
            return self();
        }

        /** Run a second, reversed direction and concatenate (default false). */
        public B bidirectional(boolean b) {
            bidirectional = b;
            return self();
        }

        /** The generator that draws the initial parameters and the dropout masks (default: the default generator). */
        public B generator(Generator g) {
            generator = g;
            return self();
        }
    }

    /** The state a layer returns: output sequence, final hidden state and (LSTM) final cell state. */
    protected record DirectionResult(Tensor output, Tensor h, Tensor c) {
    }

    private final String mode;
    private final int gates;
    protected final int inputSize;
    protected final int hiddenSize;
    protected final int numLayers;
    protected final boolean bias;
    protected final boolean batchFirst;
    protected final float dropout;
    protected final boolean bidirectional;
    protected final int projSize;
    protected final Generator generator;
    /** weights[layer * D + direction] = {w_ih, w_hh, b_ih or null, b_hh or null, w_hr or null}. */
    private final Parameter[][] weights;

    /**
     * Validates the options and registers the parameters.
     *
     * @param mode "LSTM", "GRU", "RNN_TANH" or "RNN_RELU" (for messages and gate count)
     * @param gates gate blocks per weight: 4, 3 or 1
     */
    protected RNNBase(String mode, int gates, Options<?> o) {
        this.mode = mode;
        this.gates = gates;
        String name = mode.startsWith("RNN") ? "RNN" : mode;
        if (o.inputSize < 0) {
            throw new IllegalArgumentException(name + ": input_size must be >= 0, got " + o.inputSize);
        }
        if (o.hiddenSize <= 0) {
            throw new IllegalArgumentException(name + ": hidden_size must be greater than zero, got " + o.hiddenSize);
        }
        if ((long) gates * o.hiddenSize * Math.max(Math.max(o.inputSize, o.hiddenSize) * 2L, 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": hidden_size " + o.hiddenSize + " with input_size " + o.inputSize
                + " makes weights of more than 2^31-1 values");
        }
        if (o.numLayers <= 0) {
            throw new IllegalArgumentException(name + ": num_layers must be greater than zero, got " + o.numLayers);
        }
        if (!(o.dropout >= 0 && o.dropout <= 1)) {
            throw new IllegalArgumentException(name + ": dropout should be a number in range [0, 1] representing the "
                + "probability of an element being zeroed, got " + o.dropout);
        }
        if (o.projSize < 0) {
            throw new IllegalArgumentException(name + ": proj_size should be a positive integer or zero to disable "
                + "projections, got " + o.projSize);
        }
        if (o.projSize >= o.hiddenSize) {
            throw new IllegalArgumentException(name + ": proj_size has to be smaller than hidden_size, got proj_size="
                + o.projSize + " and hidden_size=" + o.hiddenSize);
        }
        if (o.generator == null) {
            throw new IllegalArgumentException(name + ": generator must not be null");
        }
        if (o.dropout > 0 && o.numLayers == 1) {
            log.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                + "num_layers greater than 1, but got dropout={} and num_layers={}", o.dropout, o.numLayers);
        }
        this.inputSize = o.inputSize;
        this.hiddenSize = o.hiddenSize;
        this.numLayers = o.numLayers;
        this.bias = o.bias;
        this.batchFirst = o.batchFirst;
        this.dropout = (float) o.dropout;
        this.bidirectional = o.bidirectional;
        this.projSize = o.projSize;
        this.generator = o.generator;
        int dirs = bidirectional ? 2 : 1;
        int hOut = outputHiddenSize();
        float bound = (float) (1.0 / Math.sqrt(hiddenSize));
        Generator g = o.generator;
        weights = new Parameter[numLayers * dirs][];
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hOut * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Parameter[] w = new Parameter[5];
                w[0] = registerParameter("weight_ih" + sfx, Tensor.uniform(g, -bound, bound, gates * hiddenSize, in));
                w[1] = registerParameter("weight_hh" + sfx, Tensor.uniform(g, -bound, bound, gates * hiddenSize, hOut));
                if (bias) {
                    w[2] = registerParameter("bias_ih" + sfx, Tensor.uniform(g, -bound, bound, gates * hiddenSize));
                    w[3] = registerParameter("bias_hh" + sfx, Tensor.uniform(g, -bound, bound, gates * hiddenSize));
                }
                if (projSize > 0) {
                    w[4] = registerParameter("weight_hr" + sfx, Tensor.uniform(g, -bound, bound, projSize, hiddenSize));
                }
                weights[layer * dirs + d] = w;
            }
        }
    }

    /** The size of the hidden state and of each direction's output: projSize if set, else hiddenSize. */
    public int outputHiddenSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    /** Number of directions: 2 if bidirectional, else 1. */
    public int numDirections() {
        return bidirectional ? 2 : 1;
    }

    /** The input feature count. */
    public int inputSize() {
        return inputSize;
    }

    /** The hidden size H. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** The number of stacked layers. */
    public int numLayers() {
        return numLayers;
    }

    /** Whether input and output are batch-first. */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** Whether the layer is bidirectional. */
    public boolean bidirectional() {
        return bidirectional;
    }

    /** The projection size (0 without projection). */
    public int projSize() {
        return projSize;
    }

    /** The dropout probability between layers. */
    public float dropout() {
        return dropout;
    }

    /** Whether the layers have biases. */
    public boolean hasBias() {
        return bias;
    }

    /** The parameters of one layer and direction: {w_ih, w_hh, b_ih, b_hh, w_hr}, nulls where absent. */
    protected Parameter[] layerWeights(int layer, int direction) {
        return weights[layer * numDirections() + direction];
    }

    /** The number of state tensors: 2 for LSTM (h, c), 1 otherwise. */
    protected abstract int stateCount();

    /** The size of state tensor {@code i}: h is {@link #outputHiddenSize()}, c is {@code hiddenSize}. */
    protected int stateSize(int i) {
        return i == 0 ? outputHiddenSize() : hiddenSize;
    }

    /**
     * Runs one layer in one direction over a whole time-major sequence as one fused op.
     *
     * @param x {@code (T, B, in)}
     * @param init the initial states, each {@code (B, stateSize(i))}
     * @param lengths each sequence's length, or null when all are {@code T}
     * @param reverse process from the last valid step of each sequence back to step 0
     * @return output {@code (T, B, H_out)} (zero past each length), final h {@code (B, H_out)} and,
     *     for LSTM, final c {@code (B, H)}
     */
    protected abstract DirectionResult runDirection(int layer, Tensor x, Tensor[] init, Parameter[] w,
                                                    int[] lengths, boolean reverse);

    /**
     * {@link #runDirection(int, Tensor, Tensor[], Parameter[], int[], boolean)} with the output
     * batch-first, {@code (B, T, H_out)}, when {@code batchFirstOutput}: for the last layer of a
     * batch-first module, so that its output needs no transpose. This default transposes the
     * time-major output; a layer that can write it batch-first directly overrides it.
     */
    protected DirectionResult runDirection(int layer, Tensor x, Tensor[] init, Parameter[] w, int[] lengths,
                                           boolean reverse, boolean batchFirstOutput) {
        DirectionResult r = runDirection(layer, x, init, w, lengths, reverse);
        return batchFirstOutput ? new DirectionResult(r.output().transpose(0, 1), r.h(), r.c()) : r;
    }

    /** Name for messages: "LSTM", "GRU" or "RNN". */
    protected String displayName() {
        return mode.startsWith("RNN") ? "RNN" : mode;
    }

    /**
     * Checks the input and states and runs every layer and direction.
     *
     * @param input the user's tensor (2-D unbatched or 3-D batched, in the module's layout), or the
     *     time-major data of a packed sequence
     * @param states initial states in PyTorch's layout, {@code (L*D, B, size)} or unbatched
     *     {@code (L*D, size)}; null entries (or a null array) mean zeros
     * @param lengths per-sequence lengths for a packed input (already time-major), else null
     * @return {output in the caller's layout, h_n, c_n (LSTM)}
     */
    protected Tensor[] forwardAll(Tensor input, Tensor[] states, int[] lengths) {
        String name = displayName();
        boolean packed = lengths != null;
        int rank = input.dim();
        if (!packed && rank != 2 && rank != 3) {
            throw new IllegalArgumentException(name + ": Expected input to be 2D or 3D, got " + rank
                + "D input instead (shape " + Shape.format(input.shape()) + ")");
        }
        if (packed && rank != 3) {
            throw new IllegalArgumentException(name + ": packed data must be 3-D (T, B, input_size), got shape "
                + Shape.format(input.shape()));
        }
        if (input.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input.size(-1) must be equal to input_size. Expected "
                + inputSize + ", got " + input.size(-1) + " (input shape " + Shape.format(input.shape()) + ")");
        }
        boolean unbatched = !packed && rank == 2;
        Tensor x = input;
        if (unbatched) {
            x = x.unsqueeze(1);
        } else if (batchFirst && !packed) {
            x = x.transpose(0, 1);
        }
        int batch = x.size(1);
        if (x.size(0) == 0) {
            throw new IllegalArgumentException(name + ": Expected sequence length to be larger than 0 in RNN, got input "
                + "of shape " + Shape.format(input.shape()));
        }
        int dirs = numDirections();
        long gateValues = (long) x.size(0) * batch * gates * hiddenSize;
        if (gateValues > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": an input of shape " + Shape.format(input.shape())
                + " needs " + gateValues + " gate values per layer (seq_len " + x.size(0) + " x batch " + batch + " x "
                + gates + " x hidden_size " + hiddenSize + "), more than one array holds (2^31-1); split the sequence");
        }
        int nStates = stateCount();
        Tensor[] init = new Tensor[nStates];
        for (int s = 0; s < nStates; s++) {
            Tensor st = states == null ? null : states[s];
            int size = stateSize(s);
            if (st == null) {
                init[s] = Tensor.zeros(numLayers * dirs, batch, size);
                continue;
            }
            int[] expected = unbatched ? new int[] {numLayers * dirs, size} : new int[] {numLayers * dirs, batch, size};
            if (unbatched && st.dim() != 2) {
                throw new IllegalArgumentException(name + ": For unbatched 2-D input, hx" + (nStates > 1 ? " and cx" : "")
                    + " should also be 2-D but got a " + st.dim() + "-D tensor of shape " + Shape.format(st.shape()));
            }
            if (!unbatched && st.dim() != 3) {
                throw new IllegalArgumentException(name + ": For batched 3-D input, hx" + (nStates > 1 ? " and cx" : "")
                    + " should also be 3-D but got a " + st.dim() + "-D tensor of shape " + Shape.format(st.shape()));
            }
            if (!Arrays.equals(st.shape(), expected)) {
                throw new IllegalArgumentException(name + ": Expected hidden[" + s + "] size " + Shape.format(expected)
                    + ", got " + Shape.format(st.shape()));
            }
            init[s] = unbatched ? st.unsqueeze(1) : st;
        }
        List<List<Tensor>> finals = new ArrayList<>();
        for (int s = 0; s < nStates; s++) {
            finals.add(new ArrayList<>());
        }
        Tensor layerInput = x;
        // the last layer of a batch-first module writes its output batch-first itself (one
        // direction, not packed), instead of a transposed copy of it
        boolean lastBatchFirst = batchFirst && !packed && !unbatched && dirs == 1;
        for (int layer = 0; layer < numLayers; layer++) {
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                Tensor[] layerInit = new Tensor[nStates];
                for (int s = 0; s < nStates; s++) {
                    layerInit[s] = init[s].select(0, layer * dirs + d);
                }
                DirectionResult r = runDirection(layer, layerInput, layerInit, layerWeights(layer, d), lengths, d == 1,
                    lastBatchFirst && layer == numLayers - 1);
                outs[d] = r.output();
                finals.get(0).add(r.h());
                if (nStates > 1) {
                    finals.get(1).add(r.c());
                }
            }
            Tensor out = dirs == 1 ? outs[0] : Tensor.cat(List.of(outs[0], outs[1]), 2);
            if (dropout > 0 && layer < numLayers - 1 && isTraining()) {
                out = Dropout.dropout(out, dropout, true, generator);
            }
            layerInput = out;
        }
        Tensor output = layerInput;
        if (unbatched) {
            output = output.squeeze(1);
        } else if (batchFirst && !packed && !lastBatchFirst) {
            output = output.transpose(0, 1);
        }
        Tensor[] result = new Tensor[1 + nStates];
        result[0] = output;
        for (int s = 0; s < nStates; s++) {
            Tensor st = Tensor.stack(finals.get(s), 0);
            result[1 + s] = unbatched ? st.squeeze(1) : st;
        }
        return result;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) {
            sb.append(", proj_size=").append(projSize);
        }
        if (numLayers != 1) {
            sb.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            sb.append(", bias=False");
        }
        if (batchFirst) {
            sb.append(", batch_first=True");
        }
        if (dropout != 0) {
            sb.append(", dropout=").append(dropout);
        }
        if (bidirectional) {
            sb.append(", bidirectional=True");
        }
        return sb.toString();
    }
}
