package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam, like {@code torch.optim.Adam} (PyTorch 1.13, single-tensor path), bias correction included.
 *
 * <pre>
 * input: lr (γ), betas (β1, β2), params θ, objective f, weight_decay λ, eps ε, amsgrad, maximize
 * init:  m_0 = 0 (exp_avg), v_0 = 0 (exp_avg_sq), v_0^max = 0 (max_exp_avg_sq), per parameter,
 *        created on the parameter's first step
 * for t = 1, 2, ... (each step):
 *     g_t = -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
 *     if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
 *     m_t = β1 m_{t-1} + (1 - β1) g_t
 *     v_t = β2 v_{t-1} + (1 - β2) g_t²
 *     step_size = γ / (1 - β1^t)
 *     if amsgrad:  v_t^max = max(v_{t-1}^max, v_t);  s = v_t^max  else  s = v_t
 *     denom = sqrt(s) / sqrt(1 - β2^t) + ε
 *     θ_t = θ_{t-1} - step_size · m_t / denom
 * </pre>
 * The element-wise work is float32 in PyTorch's order; {@code step_size} and the bias corrections
 * are doubles, rounded to float32 where PyTorch hands them to a float32 kernel.
 *
 * <p>Hyperparameters (PyTorch names; each group may override them, see {@link ParamGroup}):
 * {@code lr = 1e-3}, {@code betas = (0.9, 0.999)}, {@code eps = 1e-8}, {@code weight_decay = 0},
 * {@code amsgrad = false}, {@code maximize = false}.
 *
 * <p>State per parameter: {@code step} (0-dim float32), {@code exp_avg}, {@code exp_avg_sq} and,
 * with amsgrad, {@code max_exp_avg_sq}.
 *
 * <pre>{@code
 * Adam opt = Adam.builder(model.parameters()).lr(1e-3).betas(0.9, 0.999).build();
 * Adam same = new Adam(model.parameters(), 1e-3);
 * }</pre>
 */
public final class Adam extends AdamFamily {

    /** PyTorch's default {@code weight_decay} for Adam. */
    static final double WEIGHT_DECAY = 0.0;

    private Adam(List<ParamGroup> groups, Map<String, Object> defaults) {
        super("Adam", groups, defaults, false);
    }

    /**
     * Adam with every default ({@code lr = 1e-3}).
     *
     * @throws IllegalArgumentException "optimizer got an empty parameter list" when {@code params} is empty
     */
    public Adam(Iterable<? extends Tensor> params) {
        this(singleGroup(params), AdamFamilyBuilder.defaultOptions(WEIGHT_DECAY));
    }

    /**
     * Adam with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException for an empty parameter list or "Invalid learning rate: lr"
     */
    public Adam(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), AdamFamilyBuilder.defaultOptions(WEIGHT_DECAY, lr));
    }

    /** A builder over one group of parameters. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(OptimizerBuilder.group(params));
    }

    /** A builder over several groups; their own options override the builder's. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    /** Adam's keyword arguments. */
    public static final class Builder extends AdamFamilyBuilder<Builder, Adam> {

        Builder(List<ParamGroup> groups) {
            super("Adam", WEIGHT_DECAY, groups);
        }

        @Override
        public Adam build() {
            return new Adam(groups(), defaults());
        }
    }
}
