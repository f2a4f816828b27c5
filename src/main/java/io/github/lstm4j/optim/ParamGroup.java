package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A list of parameters with its own hyperparameters, like one dict of PyTorch's
 * {@code optimizer.param_groups}: the keys are PyTorch's ({@code lr}, {@code betas}, {@code eps},
 * {@code weight_decay}, {@code amsgrad}, {@code maximize}, {@code momentum}, {@code dampening},
 * {@code nesterov}, and {@code initial_lr} once a scheduler is attached).
 *
 * <p>Options set here override the optimizer's defaults for this group; the optimizer fills in the
 * rest when the group is added. Different learning rates per group:
 * <pre>{@code
 * Adam opt = Adam.builder(List.of(
 *         new ParamGroup(model.lstm.parameters()),
 *         new ParamGroup(model.fc.parameters()).set("lr", 1e-2)))
 *     .lr(1e-3)
 *     .build();
 * }</pre>
 * An optimizer keeps and uses this very object (as PyTorch keeps the dict), so a later
 * {@link #setLr(double)} changes the learning rate of its next step.
 *
 * <p>Values are {@code Double}, {@code Boolean} or {@code double[]}.
 */
public final class ParamGroup {

    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    /** A group of these parameters with no options of its own yet. */
    public ParamGroup(Iterable<? extends Tensor> params) {
        Objects.requireNonNull(params, "params");
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : params) {
            list.add(Objects.requireNonNull(t, "params holds a null tensor"));
        }
        this.params = Collections.unmodifiableList(list);
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /**
     * Sets a hyperparameter by its PyTorch name, like {@code group['lr'] = 0.01}; returns this.
     *
     * @param value a {@code Number}, {@code Boolean}, {@code double[]} or list of numbers
     * @throws IllegalArgumentException for any other kind of value, or for the key {@code params}
     */
    public ParamGroup set(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if (key.equals("params")) {
            throw new IllegalArgumentException("'params' is not a hyperparameter; give the parameters to the constructor");
        }
        options.put(key, normalize(key, value));
        return this;
    }

    /** Sets the learning rate, like {@code group['lr'] = lr}; returns this. */
    public ParamGroup setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Invalid learning rate: " + lr);
        }
        options.put("lr", lr);
        return this;
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    /** True when the option is set. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /**
     * A number option.
     *
     * @throws IllegalArgumentException when absent or not a number
     */
    public double getDouble(String key) {
        Object v = require(key);
        if (!(v instanceof Double)) {
            throw new IllegalArgumentException("parameter group option '" + key + "' is " + describe(v)
                + ", expected a number");
        }
        return (Double) v;
    }

    /**
     * A boolean option.
     *
     * @throws IllegalArgumentException when absent or not a boolean
     */
    public boolean getBoolean(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException("parameter group option '" + key + "' is " + describe(v)
                + ", expected true or false");
        }
        return (Boolean) v;
    }

    /**
     * A list-of-numbers option (a copy), such as {@code betas}.
     *
     * @throws IllegalArgumentException when absent or not a list
     */
    public double[] getDoubles(String key) {
        Object v = require(key);
        if (!(v instanceof double[])) {
            throw new IllegalArgumentException("parameter group option '" + key + "' is " + describe(v)
                + ", expected a list of numbers");
        }
        return ((double[]) v).clone();
    }

    /** Every option by name, in insertion order (a copy; lists are copied too). */
    public Map<String, Object> options() {
        Map<String, Object> out = new LinkedHashMap<>();
        options.forEach((k, v) -> out.put(k, v instanceof double[] ? ((double[]) v).clone() : v));
        return out;
    }

    /** Replaces every option at once (used when loading a state dict). */
    void replaceOptions(Map<String, Object> values) {
        options.clear();
        values.forEach(this::set);
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("parameter group has no option '" + key + "'; it has " + options.keySet());
        }
        return v;
    }

    static Object normalize(String key, Object value) {
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof double[]) {
            return ((double[]) value).clone();
        }
        if (value instanceof float[]) {
            float[] f = (float[]) value;
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (value instanceof List<?>) {
            List<?> l = (List<?>) value;
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) {
                if (!(l.get(i) instanceof Number)) {
                    throw new IllegalArgumentException("option '" + key + "' must be a list of numbers, got " + l);
                }
                d[i] = ((Number) l.get(i)).doubleValue();
            }
            return d;
        }
        throw new IllegalArgumentException("option '" + key + "' must be a number, a boolean or a list of numbers, got "
            + describe(value));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof double[]) {
            return "the list " + StateValues.encode((double[]) v);
        }
        return v instanceof String ? "the string \"" + v + "\"" : v.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParamGroup(").append(params.size()).append(" params");
        options.forEach((k, v) -> sb.append(", ").append(k).append('=').append(StateValues.encode(v)));
        return sb.append(')').toString();
    }
}
