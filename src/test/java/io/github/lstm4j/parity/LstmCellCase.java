package io.github.lstm4j.parity;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.LSTMCell;
import io.github.lstm4j.nn.Module;
import java.util.Map;

/**
 * Kind {@code lstm_cell}: {@code nn.LSTMCell(input_size, hidden_size, bias)} on {@code input.x}
 * ({@code (batch, input_size)}, or unbatched {@code (input_size)} when {@code batch} is 0), from
 * {@code input.h0, input.c0} when the file has them and zeros otherwise; outputs {@code h1, c1}.
 */
final class LstmCellCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new LSTMCell(f.intConfig("input_size"), f.intConfig("hidden_size"), f.boolConfig("bias", true),
            new Generator(0));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        int in = f.intConfig("input_size");
        int batch = f.intConfig("batch", -1);
        if (batch >= 0) {
            LstmCase.requireShape(f, "input.x", inputs.get("x"), batch == 0 ? new int[] {in} : new int[] {batch, in});
        }
        LstmCase.checkInitialState(f, inputs);
        LSTMCell.Output out = ((LSTMCell) module).forward(inputs.get("x"), inputs.get("h0"), inputs.get("c0"));
        return Map.of("h1", out.h1(), "c1", out.c1());
    }
}
