package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.RNN;
import java.util.Map;

/**
 * Kind {@code rnn}: {@code nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias,
 * batch_first, bidirectional)} on {@code input.x} with {@code input.h0} when the case has one;
 * outputs {@code output} and {@code h_n}.
 */
final class RnnCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return RNN.builder(f.intConfig("input_size"), f.intConfig("hidden_size"))
            .numLayers(f.intConfig("num_layers", 1))
            .nonlinearity(f.stringConfig("nonlinearity", "tanh"))
            .bias(f.boolConfig("bias", true))
            .batchFirst(f.boolConfig("batch_first", false))
            .bidirectional(f.boolConfig("bidirectional", false))
            .generator(new Generator(0))
            .build();
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        RNN.Output out = ((RNN) module).forward(inputs.get("x"), inputs.get("h0"));
        return Map.of("output", out.output(), "h_n", out.hN());
    }
}
