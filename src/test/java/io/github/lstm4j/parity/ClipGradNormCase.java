package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.optim.ClipGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code clip_grad_norm}: {@code clip_grad_norm_} over tensors whose gradients are
 * {@code input.g0}, {@code input.g1}, ... with {@code config.max_norm} and {@code config.norm_type}
 * (a number or Infinity); the clipped gradients must equal {@code output.g<i>} and the returned norm
 * {@code output.total_norm}, within 1e-5 absolute.
 */
final class ClipGradNormCase implements ParityKind {

    static final double ATOL = 1e-5;

    @Override
    public void run(Fixture f) {
        Object maxNorm = f.config().get("max_norm");
        Object normType = f.config().getOrDefault("norm_type", 2.0);
        if (!(maxNorm instanceof Number) || !(normType instanceof Number)) {
            throw new AssertionError(f.name() + ": config needs numeric max_norm and norm_type, got " + f.config());
        }
        Map<String, Tensor> inputs = f.withPrefix("input");
        List<String> names = new ArrayList<>();
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; inputs.containsKey("g" + i); i++) {
            Tensor g = inputs.get("g" + i);
            Tensor p = Tensor.zeros(g.shape()).requiresGrad_(true);
            p.setGrad(g);
            names.add("g" + i);
            params.add(p);
        }
        if (params.size() != inputs.size()) {
            throw new AssertionError(f.name() + ": inputs must be g0, g1, ...; got " + inputs.keySet());
        }
        float total = ClipGrad.clipGradNorm(params, ((Number) maxNorm).doubleValue(), ((Number) normType).doubleValue());
        ParityAssert.assertClose(f.name() + ": output.total_norm", f.tensor("output.total_norm"), Tensor.scalar(total),
            ATOL, 0);
        for (int i = 0; i < params.size(); i++) {
            ParityAssert.assertClose(f.name() + ": output." + names.get(i), f.tensor("output." + names.get(i)),
                params.get(i).grad(), ATOL, 0);
        }
    }
}
