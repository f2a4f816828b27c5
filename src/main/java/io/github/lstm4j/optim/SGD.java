package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, like {@code torch.optim.SGD} (PyTorch 1.13,
 * single-tensor path).
 *
 * <pre>
 * input: lr (γ), params θ, objective f, weight_decay λ, momentum μ, dampening τ, nesterov, maximize
 * for t = 1, 2, ... (each step):
 *     g_t = -∇f(θ_{t-1}) if maximize else ∇f(θ_{t-1})
 *     if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
 *     if μ ≠ 0:
 *         b_t = g_t (a copy) on the parameter's first step, else μ b_{t-1} + (1 - τ) g_t
 *         g_t = g_t + μ b_t if nesterov else b_t
 *     θ_t = θ_{t-1} - γ g_t
 * </pre>
 * Float32 element-wise work in PyTorch's order; {@code -γ}, {@code μ} and {@code 1 - τ} are rounded
 * to float32 when applied.
 *
 * <p>Hyperparameters: {@code lr} (required), {@code momentum = 0}, {@code dampening = 0},
 * {@code weight_decay = 0}, {@code nesterov = false} (needs {@code momentum > 0} and
 * {@code dampening = 0}), {@code maximize = false}. State per parameter, with momentum only:
 * {@code momentum_buffer}.
 *
 * <pre>{@code
 * SGD opt = SGD.builder(model.parameters()).lr(0.01).momentum(0.9).nesterov(true).build();
 * SGD plain = new SGD(model.parameters(), 0.1);
 * }</pre>
 */
public final class SGD extends Optimizer {

    /** PyTorch's defaults, in its order; {@code lr} has none. */
    static Map<String, Object> defaultOptions() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", REQUIRED);
        d.put("momentum", 0.0);
        d.put("dampening", 0.0);
        d.put("weight_decay", 0.0);
        d.put("nesterov", false);
        d.put("maximize", false);
        return d;
    }

    private SGD(List<ParamGroup> groups, Map<String, Object> defaults) {
        super("SGD", groups, defaults, SGD::validate);
    }

    /**
     * Plain SGD, {@code θ -= lr · grad}.
     *
     * @throws IllegalArgumentException for an empty parameter list or "Invalid learning rate: lr"
     */
    public SGD(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), withLr(lr));
    }

    private static Map<String, Object> withLr(double lr) {
        Map<String, Object> d = defaultOptions();
        d.put("lr", lr);
        return d;
    }

    /** Checks every hyperparameter with PyTorch's messages. */
    static void validate(ParamGroup g) {
        Check.lr(g);
        double momentum = Check.nonNegative("Invalid momentum value", g.getDouble("momentum"));
        double dampening = Check.finite("Invalid dampening value", g.getDouble("dampening"));
        Check.weightDecay(g);
        boolean nesterov = g.getBoolean("nesterov");
        g.getBoolean("maximize");
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening (got momentum "
                + momentum + ", dampening " + dampening + ")");
        }
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.getDouble("lr");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor param : group.params()) {
            Tensor dp = param.grad();
            if (dp == null) {
                continue;
            }
            if (maximize) {
                dp = dp.neg();
            }
            if (weightDecay != 0) {
                dp = dp.copy().add_(param, (float) weightDecay);
            }
            if (momentum != 0) {
                Map<String, Tensor> st = state(param);
                Tensor buf = st.get("momentum_buffer");
                if (buf == null) {
                    buf = dp.copy();
                    st.put("momentum_buffer", buf);
                } else {
                    buf.mul_((float) momentum).add_(dp, (float) (1 - dampening));
                }
                dp = nesterov ? dp.copy().add_(buf, (float) momentum) : buf;
            }
            param.add_(dp, (float) -lr);
        }
    }

    /** A builder over one group of parameters; {@code lr} must be set (here or in every group). */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(OptimizerBuilder.group(params));
    }

    /** A builder over several groups; their own options override the builder's. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    /** SGD's keyword arguments. */
    public static final class Builder extends OptimizerBuilder<Builder, SGD> {

        Builder(List<ParamGroup> groups) {
            super("SGD", defaultOptions(), groups);
        }

        /** {@code momentum} factor. */
        public Builder momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** {@code dampening} of the momentum's gradient term. */
        public Builder dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** {@code weight_decay}, an L2 penalty added to the gradient. */
        public Builder weightDecay(double weightDecay) {
            return set("weight_decay", weightDecay);
        }

        /** {@code nesterov} momentum. */
        public Builder nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }

        /** {@code maximize}: ascend the objective instead. */
        public Builder maximize(boolean maximize) {
            return set("maximize", maximize);
        }

        @Override
        public SGD build() {
            return new SGD(groups(), defaults());
        }
    }
}
