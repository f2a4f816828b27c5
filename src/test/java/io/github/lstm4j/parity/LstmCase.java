package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Module;
import java.util.Arrays;
import java.util.Map;

/**
 * Kind {@code lstm}: {@code nn.LSTM(input_size, hidden_size, num_layers, bias, batch_first,
 * bidirectional=..., proj_size=...)} on {@code input.x} (2-D when unbatched), from
 * {@code input.h0, input.c0} when the file has them and zeros otherwise; outputs {@code output},
 * {@code h_n}, {@code c_n}.
 */
final class LstmCase extends OpCase {

    /** The LSTM a case of kind {@code lstm} or {@code lstm_packed} describes; absent keys take PyTorch's defaults. */
    static LSTM buildLstm(Fixture f) {
        return LSTM.builder(f.intConfig("input_size"), f.intConfig("hidden_size"))
            .numLayers(f.intConfig("num_layers", 1))
            .bias(f.boolConfig("bias", true))
            .batchFirst(f.boolConfig("batch_first", false))
            .bidirectional(f.boolConfig("bidirectional", false))
            .projSize(f.intConfig("proj_size", 0))
            .generator(new Generator(0))
            .build();
    }

    /**
     * Checks that the file's tensors are what its config describes: {@code input.x} shaped by
     * {@code batch}, {@code seq_len}, {@code input_size}, {@code batch_first} and {@code unbatched}
     * (when the config has them), and {@code input.h0}, {@code input.c0} present exactly when
     * {@code initial_state} is true.
     */
    static void checkInputs(Fixture f, Map<String, Tensor> inputs) {
        int in = f.intConfig("input_size");
        int seq = f.intConfig("seq_len", -1);
        int batch = f.intConfig("batch", -1);
        if (seq < 0 || batch < 0) {
            checkInitialState(f, inputs);
            return;
        }
        int[] expected = f.boolConfig("unbatched", false) ? new int[] {seq, in}
            : f.boolConfig("batch_first", false) ? new int[] {batch, seq, in} : new int[] {seq, batch, in};
        requireShape(f, "input.x", inputs.get("x"), expected);
        checkInitialState(f, inputs);
    }

    static void requireShape(Fixture f, String name, Tensor t, int[] expected) {
        if (t == null || !Arrays.equals(t.shape(), expected)) {
            throw new AssertionError(f.name() + ": config describes " + name + " of shape " + Arrays.toString(expected)
                + ", the file has " + (t == null ? "none" : Arrays.toString(t.shape())));
        }
    }

    static void checkInitialState(Fixture f, Map<String, Tensor> inputs) {
        boolean given = f.boolConfig("initial_state", inputs.containsKey("h0"));
        if (given != inputs.containsKey("h0") || given != inputs.containsKey("c0")) {
            throw new AssertionError(f.name() + ": config initial_state=" + given + " but the file has "
                + (inputs.containsKey("h0") ? "" : "no ") + "input.h0 and " + (inputs.containsKey("c0") ? "" : "no ")
                + "input.c0");
        }
    }

    @Override
    protected Module build(Fixture f) {
        return buildLstm(f);
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        checkInputs(f, inputs);
        LSTM.Output out = ((LSTM) module).forward(inputs.get("x"), inputs.get("h0"), inputs.get("c0"));
        return Map.of("output", out.output(), "h_n", out.hN(), "c_n", out.cN());
    }
}
