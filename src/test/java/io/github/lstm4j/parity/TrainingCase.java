package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.Optimizers;
import java.util.Map;

/**
 * Kind {@code training}: the tutorial's model ({@link LSTMModel}, the example's own class) trained
 * one step per epoch on {@code input.x[e]}, {@code input.y[e]} from {@code param.*}, with the
 * configured optimizer and optional {@code clip_grad_norm_}. Each epoch's loss must match
 * {@code output.loss[e]} within 1e-5 relative, the pre-clipping norm {@code output.grad_norm[e]}
 * within 1e-5 relative, and the final weights {@code final.*} within 1e-5 absolute (the README's
 * tolerances for float32 training runs).
 */
final class TrainingCase implements ParityKind {

    @Override
    @SuppressWarnings("unchecked")
    public void run(Fixture f) {
        int epochs = f.intConfig("epochs");
        LSTMModel model = new LSTMModel(f.intConfig("input_size"), f.intConfig("hidden_size"),
            f.intConfig("output_size"), f.intConfig("num_layers"));
        model.loadStateDict(f.withPrefix("param"));
        Object args = f.config().get("optimizer_args");
        Optimizer optimizer = Optimizers.create(f.stringConfig("optimizer", "adam"), model.parameters(),
            args == null ? Map.of() : (Map<String, ?>) args);
        Object clip = f.config().get("clip_grad_norm");
        MSELoss criterion = new MSELoss();
        Tensor xs = f.tensor("input.x");
        Tensor ys = f.tensor("input.y");
        Tensor expectedLoss = f.tensor("output.loss");
        Tensor expectedNorm = f.has("output.grad_norm") ? f.tensor("output.grad_norm") : null;
        float[] losses = new float[epochs];
        float[] norms = new float[epochs];
        for (int e = 0; e < epochs; e++) {
            model.train();
            Tensor out = model.forward(xs.select(0, e));
            Tensor loss = criterion.forward(out, ys.select(0, e));
            optimizer.zeroGrad();
            loss.backward();
            if (clip instanceof Number) {
                norms[e] = ClipGrad.clipGradNorm(model.parameters(), ((Number) clip).doubleValue());
            }
            optimizer.step();
            losses[e] = loss.item();
        }
        ParityAssert.assertClose(f.name() + ": output.loss (per epoch)", expectedLoss, Tensor.wrap(losses, epochs), 0, 1e-5);
        if (expectedNorm != null) {
            ParityAssert.assertClose(f.name() + ": output.grad_norm (per epoch)", expectedNorm, Tensor.wrap(norms, epochs),
                0, 1e-5);
        }
        Map<String, Tensor> state = model.stateDict();
        for (Map.Entry<String, Tensor> e : f.withPrefix("final").entrySet()) {
            ParityAssert.assertClose(f.name() + ": final." + e.getKey(), e.getValue(), state.get(e.getKey()), 1e-5, 0);
        }
    }
}
