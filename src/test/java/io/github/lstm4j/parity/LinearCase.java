package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.Module;
import java.util.Map;

/** Kind {@code linear}: {@code nn.Linear(in_features, out_features, bias)} on {@code input.x}. */
final class LinearCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        return new Linear(f.intConfig("in_features"), f.intConfig("out_features"), f.boolConfig("bias", true));
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("y", ((Linear) module).forward(inputs.get("x")));
    }
}
