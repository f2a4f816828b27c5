package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import java.util.Map;

/** Kind {@code mse_loss}: {@code nn.MSELoss(reduction)} of {@code input.pred} against {@code input.target}. */
final class MseLossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new MSELoss(Reduction.parse(f.stringConfig("reduction", "mean")));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((MSELoss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
