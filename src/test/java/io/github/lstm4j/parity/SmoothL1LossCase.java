package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import io.github.lstm4j.nn.SmoothL1Loss;
import java.util.Map;

/** Kind {@code smooth_l1_loss}: {@code nn.SmoothL1Loss(reduction, beta)} of {@code input.pred} against {@code input.target}. */
final class SmoothL1LossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new SmoothL1Loss(Reduction.parse(f.stringConfig("reduction", "mean")), ExtraConfig.floatConfig(f, "beta", 1f));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((SmoothL1Loss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
