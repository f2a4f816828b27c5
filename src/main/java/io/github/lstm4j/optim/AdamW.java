package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdamW, like {@code torch.optim.AdamW} (PyTorch 1.13, single-tensor path): Adam with decoupled
 * weight decay, which scales the parameter instead of adding to the gradient.
 *
 * <pre>
 * input: lr (γ), betas (β1, β2), params θ, objective f, weight_decay λ, eps ε, amsgrad, maximize
 * init:  m_0 = 0 (exp_avg), v_0 = 0 (exp_avg_sq), v_0^max = 0 (max_exp_avg_sq), per parameter,
 *        created on the parameter's first step
 * for t = 1, 2, ... (each step):
 *     g_t = -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
 *     θ_t = θ_{t-1} · (1 - γλ)
 *     m_t = β1 m_{t-1} + (1 - β1) g_t
 *     v_t = β2 v_{t-1} + (1 - β2) g_t²
 *     step_size = γ / (1 - β1^t)
 *     if amsgrad:  v_t^max = max(v_{t-1}^max, v_t);  s = v_t^max  else  s = v_t
 *     denom = sqrt(s) / sqrt(1 - β2^t) + ε
 *     θ_t = θ_t - step_size · m_t / denom
 * </pre>
 * {@code 1 - γλ} and {@code step_size} are doubles rounded to float32 when applied, as in PyTorch.
 *
 * <p>Hyperparameters: {@code lr = 1e-3}, {@code betas = (0.9, 0.999)}, {@code eps = 1e-8},
 * {@code weight_decay = 1e-2}, {@code amsgrad = false}, {@code maximize = false}. State as {@link Adam}.
 *
 * <pre>{@code
 * AdamW opt = AdamW.builder(model.parameters()).lr(2e-2).weightDecay(0.05).build();
 * }</pre>
 */
public final class AdamW extends AdamFamily {

    /** PyTorch's default {@code weight_decay} for AdamW. */
    static final double WEIGHT_DECAY = 1e-2;

    private AdamW(List<ParamGroup> groups, Map<String, Object> defaults) {
        super("AdamW", groups, defaults, true);
    }

    /**
     * AdamW with every default ({@code lr = 1e-3}, {@code weight_decay = 1e-2}).
     *
     * @throws IllegalArgumentException "optimizer got an empty parameter list" when {@code params} is empty
     */
    public AdamW(Iterable<? extends Tensor> params) {
        this(singleGroup(params), AdamFamilyBuilder.defaultOptions(WEIGHT_DECAY));
    }

    /**
     * AdamW with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException for an empty parameter list or "Invalid learning rate: lr"
     */
    public AdamW(Iterable<? extends Tensor> params, double lr) {
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

    /** AdamW's keyword arguments. */
    public static final class Builder extends AdamFamilyBuilder<Builder, AdamW> {

        Builder(List<ParamGroup> groups) {
            super("AdamW", WEIGHT_DECAY, groups);
        }

        @Override
        public AdamW build() {
            return new AdamW(groups(), defaults());
        }
    }
}
