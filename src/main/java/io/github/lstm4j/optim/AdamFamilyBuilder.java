package io.github.lstm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments that {@link Adam.Builder} and {@link AdamW.Builder} share; they differ only
 * in the default and the meaning of {@code weight_decay}.
 *
 * @param <B> the concrete builder
 * @param <O> the optimizer it builds
 */
public abstract class AdamFamilyBuilder<B extends AdamFamilyBuilder<B, O>, O extends Optimizer>
    extends OptimizerBuilder<B, O> {

    AdamFamilyBuilder(String optimizerName, double weightDecay, List<ParamGroup> groups) {
        super(optimizerName, defaultOptions(weightDecay), groups);
    }

    /** PyTorch's defaults for Adam ({@code weight_decay = 0}) and AdamW ({@code 1e-2}), in its order. */
    static Map<String, Object> defaultOptions(double weightDecay) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", 1e-3);
        d.put("betas", new double[] {0.9, 0.999});
        d.put("eps", 1e-8);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", false);
        d.put("maximize", false);
        return d;
    }

    /** The defaults with another learning rate. */
    static Map<String, Object> defaultOptions(double weightDecay, double lr) {
        Map<String, Object> d = defaultOptions(weightDecay);
        d.put("lr", lr);
        return d;
    }

    /** {@code betas = (beta1, beta2)}, each in [0, 1). */
    public B betas(double beta1, double beta2) {
        return set("betas", new double[] {beta1, beta2});
    }

    /** {@code eps}, added to the denominator. */
    public B eps(double eps) {
        return set("eps", eps);
    }

    /**
     * {@code weight_decay}: for Adam an L2 penalty added to the gradient; for AdamW the decoupled
     * decay rate (parameters shrink by {@code lr * weight_decay} a step).
     */
    public B weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** {@code amsgrad}: normalise by the running maximum of {@code exp_avg_sq}. */
    public B amsgrad(boolean amsgrad) {
        return set("amsgrad", amsgrad);
    }

    /** {@code maximize}: ascend the objective instead. */
    public B maximize(boolean maximize) {
        return set("maximize", maximize);
    }
}
