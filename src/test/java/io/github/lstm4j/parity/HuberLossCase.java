package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.HuberLoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import java.util.Map;

/** Kind {@code huber_loss}: {@code nn.HuberLoss(reduction, delta)} of {@code input.pred} against {@code input.target}. */
final class HuberLossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new HuberLoss(Reduction.parse(f.stringConfig("reduction", "mean")), ExtraConfig.floatConfig(f, "delta", 1f));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((HuberLoss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
