package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.RNNCell;
import java.util.Map;

/**
 * Kind {@code rnn_cell}: {@code nn.RNNCell(input_size, hidden_size, bias, nonlinearity)} on
 * {@code input.x} ({@code (batch, input_size)}, or {@code (input_size)} for batch 0) with
 * {@code input.h0} when the case has one (else zeros); output {@code h1}.
 */
final class RnnCellCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new RNNCell(f.intConfig("input_size"), f.intConfig("hidden_size"), f.boolConfig("bias", true),
            f.stringConfig("nonlinearity", "tanh"), new Generator(0));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("h1", ((RNNCell) module).forward(inputs.get("x"), inputs.get("h0")));
    }
}
