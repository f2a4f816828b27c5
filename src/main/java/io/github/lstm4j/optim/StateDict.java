package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The saved state of an optimizer or learning-rate scheduler, shaped so that a checkpoint writer
 * can put it into one safetensors file unchanged: {@link #tensors()} become the file's tensors and
 * {@link #values()} its {@code __metadata__} strings.
 *
 * <p>Optimizer keys follow PyTorch's {@code optimizer.state_dict()} flattened to dotted paths, with
 * parameters numbered 0, 1, ... in the order of their groups (as PyTorch numbers them):
 * <pre>
 * tensors  state.0.step            0-dim float32, the number of steps taken (Adam, AdamW)
 *          state.0.exp_avg         same shape as parameter 0 (Adam, AdamW)
 *          state.0.exp_avg_sq
 *          state.0.max_exp_avg_sq  (amsgrad only)
 *          state.1.momentum_buffer (SGD with momentum)
 * values   param_groups.0.params   "[0, 1]"  the parameter numbers in group 0
 *          param_groups.0.lr       "0.001"   Double.toString, so the exact double comes back
 *          param_groups.0.betas    "[0.9, 0.999]"
 *          param_groups.0.amsgrad  "false"
 *          param_groups.0.initial_lr ...     (added by a scheduler)
 * </pre>
 * A parameter that has not taken a step yet has no {@code state.<i>.*} keys. Hyperparameters are
 * strings, not float32 tensors, because a float32 learning rate ({@code 0.001f}) is not the double
 * {@code 0.001} that training used, and resuming must be bit-identical.
 *
 * <p>Scheduler state has only values ({@code last_epoch}, {@code base_lrs}, {@code _last_lr},
 * {@code _step_count} and the scheduler's own fields, under PyTorch's attribute names).
 *
 * <p>To store several states in one file, give each a prefix: {@code opt.stateDict().prefixed("optimizer.")},
 * and take it back with {@link #unprefixed(String)}.
 *
 * @param tensors tensor state by key; the maps are copied and unmodifiable
 * @param values  scalar state by key, as exact decimal strings
 */
public record StateDict(Map<String, Tensor> tensors, Map<String, String> values) {

    /** Copies both maps, keeping their order. */
    public StateDict {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(values, "values");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A state dict holding only values (schedulers). */
    public static StateDict ofValues(Map<String, String> values) {
        return new StateDict(Map.of(), values);
    }

    /** The same state with {@code prefix} put before every key, e.g. {@code "optimizer."}. */
    public StateDict prefixed(String prefix) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> t.put(prefix + k, v));
        Map<String, String> v = new LinkedHashMap<>();
        values.forEach((k, s) -> v.put(prefix + k, s));
        return new StateDict(t, v);
    }

    /**
     * The entries whose keys start with {@code prefix}, with the prefix removed: the inverse of
     * {@link #prefixed(String)} on a dict that also holds other entries.
     */
    public StateDict unprefixed(String prefix) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                t.put(k.substring(prefix.length()), v);
            }
        });
        Map<String, String> v = new LinkedHashMap<>();
        values.forEach((k, s) -> {
            if (k.startsWith(prefix)) {
                v.put(k.substring(prefix.length()), s);
            }
        });
        return new StateDict(t, v);
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException naming the key when it is absent
     */
    public String value(String key) {
        String s = values.get(key);
        if (s == null) {
            throw new IllegalArgumentException("state dict has no value '" + key + "'; it has " + values.keySet());
        }
        return s;
    }
}
