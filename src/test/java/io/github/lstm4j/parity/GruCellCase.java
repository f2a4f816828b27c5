package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.GRUCell;
import io.github.lstm4j.nn.Module;
import java.util.Map;

/**
 * Kind {@code gru_cell}: {@code nn.GRUCell(input_size, hidden_size, bias)} on {@code input.x}
 * ({@code (batch, input_size)}, or {@code (input_size)} for batch 0) with {@code input.h0} when
 * the case has one (else zeros); output {@code h1}.
 */
final class GruCellCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new GRUCell(f.intConfig("input_size"), f.intConfig("hidden_size"), f.boolConfig("bias", true),
            new Generator(0));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("h1", ((GRUCell) module).forward(inputs.get("x"), inputs.get("h0")));
    }
}
