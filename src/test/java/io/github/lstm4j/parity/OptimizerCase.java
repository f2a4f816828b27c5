package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.Optimizers;
import java.util.List;
import java.util.Map;

/**
 * Kind {@code optimizer}: Adam / AdamW / SGD, built from {@code config.optimizer} and
 * {@code config.args} alone, minimising {@code L = sum((W@a - b)^2) + sum(log(1 + (v - c)^2))} from
 * {@code input.W}, {@code input.v} for {@code config.steps} steps; after step s the parameters must
 * equal {@code output.W[s]}, {@code output.v[s]} within 1e-5 absolute (the fixtures README's bound
 * for float32 optimizer trajectories).
 */
final class OptimizerCase implements ParityKind {

    static final double ATOL = 1e-5;

    @Override
    @SuppressWarnings("unchecked")
    public void run(Fixture f) {
        Parameter w = new Parameter(f.tensor("input.W"));
        Parameter v = new Parameter(f.tensor("input.v"));
        Tensor a = f.tensor("input.a");
        Tensor b = f.tensor("input.b");
        Tensor c = f.tensor("input.c");
        String name = f.stringConfig("optimizer", null);
        if (name == null) {
            throw new AssertionError(f.name() + ": config.optimizer missing");
        }
        Object args = f.config().getOrDefault("args", Map.of());
        Optimizer opt = Optimizers.create(name, List.of(w, v), (Map<String, Object>) args);
        int steps = f.intConfig("steps");
        Tensor outW = f.tensor("output.W");
        Tensor outV = f.tensor("output.v");
        if (outW.size(0) != steps || outV.size(0) != steps) {
            throw new AssertionError(f.name() + ": config.steps " + steps + " but output.W has " + outW.size(0) + " rows");
        }
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor loss = w.matmul(a).sub(b).pow(2f).sum()
                .add(v.sub(c).pow(2f).add(1f).log().sum());
            loss.backward();
            opt.step();
            ParityAssert.assertClose(f.name() + ": output.W[" + s + "]", outW.select(0, s), w, ATOL, 0);
            ParityAssert.assertClose(f.name() + ": output.v[" + s + "]", outV.select(0, s), v, ATOL, 0);
        }
    }
}
