package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keyword-argument side of an optimizer's constructor: typed setters named like PyTorch's
 * kwargs in camelCase ({@code weightDecay} for {@code weight_decay}), plus {@link #set(String, Object)}
 * under PyTorch's own names for configuration-driven code. Values are validated by {@link #build()}.
 *
 * @param <B> the concrete builder
 * @param <O> the optimizer it builds
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B, O>, O extends Optimizer> {

    private final String optimizerName;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups;

    /**
     * @param optimizerName for messages
     * @param defaults      the optimizer's default hyperparameters (copied and updated by the setters)
     * @param groups        the parameter groups
     */
    protected OptimizerBuilder(String optimizerName, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.optimizerName = optimizerName;
        this.defaults = new LinkedHashMap<>(defaults);
        this.groups = List.copyOf(groups);
    }

    /** One group of these parameters. */
    protected static List<ParamGroup> group(Iterable<? extends Tensor> params) {
        return List.of(new ParamGroup(Objects.requireNonNull(params, "params")));
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets a default hyperparameter by its PyTorch name, as a keyword argument would:
     * {@code set("weight_decay", 0.01)}, {@code set("betas", List.of(0.9, 0.99))}.
     *
     * @throws IllegalArgumentException for a name this optimizer does not take ("Adam got an
     *     unexpected keyword argument 'momentum'") or a value that is not a number, boolean or list
     */
    public B set(String key, Object value) {
        if (!defaults.containsKey(key)) {
            throw new IllegalArgumentException(optimizerName + " got an unexpected keyword argument '" + key
                + "'; it takes " + defaults.keySet());
        }
        defaults.put(key, ParamGroup.normalize(key, value));
        return self();
    }

    /** Sets every entry of {@code kwargs} through {@link #set(String, Object)}. */
    public B setAll(Map<String, ?> kwargs) {
        kwargs.forEach(this::set);
        return self();
    }

    /** The learning rate, {@code lr}. */
    public B lr(double lr) {
        return set("lr", lr);
    }

    /** The defaults as set so far. */
    protected Map<String, Object> defaults() {
        return defaults;
    }

    /**
     * The parameter groups.
     *
     * @throws IllegalArgumentException "optimizer got an empty parameter list" when there are none,
     *     or the builder was given a single empty list of parameters
     */
    protected List<ParamGroup> groups() {
        if (groups.isEmpty() || groups.size() == 1 && groups.get(0).params().isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        return groups;
    }

    /**
     * Builds the optimizer.
     *
     * @throws IllegalArgumentException naming the first invalid hyperparameter and its value
     */
    public abstract O build();
}
