package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.L1Loss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import java.util.Map;

/** Kind {@code l1_loss}: {@code nn.L1Loss(reduction)} of {@code input.pred} against {@code input.target}. */
final class L1LossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new L1Loss(Reduction.parse(f.stringConfig("reduction", "mean")));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((L1Loss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
