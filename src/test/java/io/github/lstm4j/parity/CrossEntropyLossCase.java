package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.CrossEntropyLoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import java.util.Map;

/**
 * Kind {@code cross_entropy_loss}: {@code nn.CrossEntropyLoss(weight, ignore_index, reduction,
 * label_smoothing)} of logits {@code input.pred} against class indices {@code input.target} (I64).
 * With {@code config.weight} true the module is built with a placeholder weight of
 * {@code num_classes} entries that {@code param.weight} then replaces through the state dict.
 */
final class CrossEntropyLossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        CrossEntropyLoss.Builder b = CrossEntropyLoss.builder()
            .reduction(Reduction.parse(f.stringConfig("reduction", "mean")))
            .ignoreIndex(f.intConfig("ignore_index", -100))
            .labelSmoothing(ExtraConfig.floatConfig(f, "label_smoothing", 0f));
        if (f.boolConfig("weight", false)) {
            b.weight(Tensor.ones(f.intConfig("num_classes")));
        }
        return b.build();
    }

    @Override
    protected boolean differentiable(String inputName) {
        return !inputName.equals("target");
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((CrossEntropyLoss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
