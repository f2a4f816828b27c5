package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.BCEWithLogitsLoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.nn.Reduction;
import java.util.Map;

/**
 * Kind {@code bce_with_logits_loss}: {@code nn.BCEWithLogitsLoss(weight, reduction, pos_weight)}
 * of logits {@code input.pred} against {@code input.target}. {@code config.weight} and
 * {@code config.pos_weight} are the buffers' shapes (or null); placeholders of those shapes are
 * replaced by {@code param.weight} and {@code param.pos_weight} through the state dict.
 */
final class BceWithLogitsLossCase extends OpCase {
    @Override
    protected Module build(Fixture f) {
        BCEWithLogitsLoss.Builder b = BCEWithLogitsLoss.builder()
            .reduction(Reduction.parse(f.stringConfig("reduction", "mean")));
        int[] weightShape = ExtraConfig.shapeConfig(f, "weight");
        if (weightShape != null) {
            b.weight(Tensor.ones(weightShape));
        }
        int[] posWeightShape = ExtraConfig.shapeConfig(f, "pos_weight");
        if (posWeightShape != null) {
            b.posWeight(Tensor.ones(posWeightShape));
        }
        return b.build();
    }

    @Override
    protected Map<String, Tensor> forward(Module module, Map<String, Tensor> inputs, Fixture f) {
        return Map.of("loss", ((BCEWithLogitsLoss) module).forward(inputs.get("pred"), inputs.get("target")));
    }
}
