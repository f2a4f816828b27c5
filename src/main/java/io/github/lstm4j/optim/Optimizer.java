package io.github.lstm4j.optim;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.GradMode;
import io.github.lstm4j.autograd.NoGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The base of every optimizer, like {@code torch.optim.Optimizer}: parameter groups with their own
 * hyperparameters, per-parameter state created lazily on a parameter's first step, and
 * {@link #stateDict()} / {@link #loadStateDict(StateDict)} for exact resumption.
 *
 * <p>The usual loop:
 * <pre>{@code
 * opt.zeroGrad();          // grads to null
 * Tensor loss = criterion.forward(model.forward(x), y);
 * loss.backward();
 * opt.step();              // updates every parameter whose grad is not null, in place
 * }</pre>
 *
 * <p>Subclasses implement {@link #update(ParamGroup)}, which {@link #step()} calls for each group
 * with grad mode off, and give the constructor their defaults and a static validator that names
 * each bad hyperparameter and its value. Parameters are numbered 0, 1, ... across the groups in
 * order; {@link StateDict} describes the saved keys.
 *
 * <p>Not thread-safe: one optimizer per training loop, stepped from one thread at a time.
 */
public abstract class Optimizer implements Stateful {

    /** Marks a default that every group must set itself (SGD's {@code lr}). */
    protected static final Object REQUIRED = new Object() {
        @Override
        public String toString() {
            return "<required parameter>";
        }
    };

    private final String name;
    private final Map<String, Object> defaults;
    private final Consumer<ParamGroup> validator;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Tensor>> state = new IdentityHashMap<>();
    private long stepCount;

    /**
     * Validates the defaults, then adds each group (filling in defaults and validating it).
     *
     * @param name      the optimizer's name in messages ({@code "Adam"})
     * @param groups    at least one group
     * @param defaults  every hyperparameter this optimizer reads, with its default value, or
     *                  {@link #REQUIRED}
     * @param validator throws {@code IllegalArgumentException} for a group with an invalid value
     * @throws IllegalArgumentException "optimizer got an empty parameter list" when there are no
     *     groups, or for any invalid value
     */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Object> defaults,
                        Consumer<ParamGroup> validator) {
        this.name = Objects.requireNonNull(name, "name");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        ParamGroup defaultsGroup = new ParamGroup(List.of());
        for (Map.Entry<String, Object> e : this.defaults.entrySet()) {
            if (e.getValue() != REQUIRED) {
                defaultsGroup.set(e.getKey(), e.getValue());
            }
        }
        if (!this.defaults.containsValue(REQUIRED)) {
            validator.accept(defaultsGroup);
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /**
     * One group holding {@code params}.
     *
     * @throws IllegalArgumentException "optimizer got an empty parameter list" when there are none
     */
    protected static List<ParamGroup> singleGroup(Iterable<? extends Tensor> params) {
        ParamGroup g = new ParamGroup(params);
        if (g.params().isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        return List.of(g);
    }

    /** The optimizer's name ({@code "Adam"}). */
    public String name() {
        return name;
    }

    /** The default hyperparameters (a copy; {@link #REQUIRED} marks ones without default). */
    public Map<String, Object> defaults() {
        Map<String, Object> out = new LinkedHashMap<>();
        defaults.forEach((k, v) -> out.put(k, v instanceof double[] ? ((double[]) v).clone() : v));
        return out;
    }

    /** The parameter groups, like {@code optimizer.param_groups} (the list is unmodifiable, the groups are live). */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /**
     * Adds a group, like {@code add_param_group}: options it lacks are taken from the defaults, then
     * every value is validated.
     *
     * @throws IllegalArgumentException for a non-leaf tensor, a parameter listed twice or already in
     *     another group, a required option left unset, or an invalid value
     */
    public void addParamGroup(ParamGroup group) {
        Objects.requireNonNull(group, "group");
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor (produced by " + p.gradFn().name() + ")");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("optimizer contains a parameter group with duplicate parameters");
            }
        }
        for (ParamGroup other : groups) {
            for (Tensor p : other.params()) {
                if (seen.contains(p)) {
                    throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        for (Map.Entry<String, Object> e : defaults.entrySet()) {
            if (!group.has(e.getKey())) {
                if (e.getValue() == REQUIRED) {
                    throw new IllegalArgumentException("parameter group didn't specify a value of required optimization "
                        + "parameter " + e.getKey());
                }
                group.set(e.getKey(), e.getValue());
            }
        }
        validator.accept(group);
        groups.add(group);
    }

    /** Drops every gradient (sets it to null), PyTorch 2's default {@code zero_grad()}. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Drops every gradient ({@code setToNone}) or fills the existing ones with zeros, like
     * {@code zero_grad(set_to_none)}. Writes each parameter's {@code grad}.
     */
    public void zeroGrad(boolean setToNone) {
        try (NoGrad ignored = Tensor.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    if (setToNone) {
                        p.setGrad(null);
                    } else if (p.grad() != null) {
                        p.grad().zero_();
                    }
                }
            }
        }
    }

    /**
     * Performs one optimization step: updates every parameter whose grad is not null, in place and
     * with grad mode off. Parameters whose grad is null are skipped and get no state.
     */
    public final void step() {
        try (NoGrad ignored = Tensor.noGrad()) {
            for (ParamGroup g : groups) {
                update(g);
            }
        }
        stepCount++;
    }

    /**
     * Re-evaluates the model with grad mode on, then steps, like {@code step(closure)}; the closure
     * should zero the grads, compute the loss and call {@code backward()}.
     *
     * @return the closure's loss
     */
    public final Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (NoGrad ignored = GradMode.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** How many times {@link #step()} has run (not saved in the state dict). */
    public long stepCount() {
        return stepCount;
    }

    /**
     * Updates the parameters of one group from their gradients; runs with grad mode off.
     * Implementations skip parameters whose {@code grad()} is null.
     */
    protected abstract void update(ParamGroup group);

    /**
     * The live state of {@code param}, created empty on first use; for {@link #update}. Keys are
     * PyTorch's ({@code step}, {@code exp_avg}, {@code momentum_buffer} ...).
     */
    protected final Map<String, Tensor> state(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** The state of {@code param} (unmodifiable, empty before its first step), like {@code optimizer.state[p]}. */
    public Map<String, Tensor> stateOf(Tensor param) {
        Map<String, Tensor> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    private List<Tensor> allParams() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : groups) {
            all.addAll(g.params());
        }
        return all;
    }

    /**
     * A snapshot of the per-parameter state (copied tensors) and every group's hyperparameters, in
     * the layout {@link StateDict} documents.
     */
    @Override
    public StateDict stateDict() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            int[] ids = new int[g.params().size()];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = index++;
            }
            String prefix = "param_groups." + gi + ".";
            values.put(prefix + "params", StateValues.encode(ids));
            g.options().forEach((k, v) -> values.put(prefix + k, StateValues.encode(v)));
        }
        List<Tensor> all = allParams();
        for (int i = 0; i < all.size(); i++) {
            Map<String, Tensor> s = state.get(all.get(i));
            if (s != null) {
                for (Map.Entry<String, Tensor> e : s.entrySet()) {
                    tensors.put("state." + i + "." + e.getKey(), e.getValue().copy());
                }
            }
        }
        return new StateDict(tensors, values);
    }

    /**
     * Restores state saved by {@link #stateDict()} of an optimizer built over parameters of the
     * same shapes in the same groups, like {@code load_state_dict}: the saved parameter numbers are
     * matched to this optimizer's parameters in order, the state tensors are copied, and each
     * group's hyperparameters are replaced by the saved ones (defaults fill any the dict lacks).
     * Everything is checked before anything changes.
     *
     * @throws IllegalArgumentException when the number or sizes of the groups differ, a state tensor
     *     has the wrong shape or an unknown parameter number, a key is not understood, or a saved
     *     hyperparameter is invalid
     */
    @Override
    public void loadStateDict(StateDict sd) {
        Map<Integer, Map<String, String>> savedGroups = new TreeMap<>();
        for (Map.Entry<String, String> e : sd.values().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("param_groups") || !parts[1].matches("\\d+")) {
                throw new IllegalArgumentException("unexpected key in optimizer state dict: '" + e.getKey()
                    + "' (expected param_groups.<n>.<option>)");
            }
            savedGroups.computeIfAbsent(Integer.parseInt(parts[1]), k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
        }
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups: "
                + savedGroups.size() + " saved, " + groups.size() + " in this optimizer");
        }
        List<Tensor> all = allParams();
        Map<Integer, Tensor> byId = new LinkedHashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Map<String, String> saved = savedGroups.get(gi);
            if (saved == null || !saved.containsKey("params")) {
                throw new IllegalArgumentException("loaded state dict lacks param_groups." + gi + ".params");
            }
            int[] ids = StateValues.integers("param_groups." + gi + ".params", saved.get("params"));
            List<Tensor> ps = groups.get(gi).params();
            if (ids.length != ps.size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match "
                    + "the size of optimizer's group: group " + gi + " has " + ids.length + " saved parameters, "
                    + ps.size() + " here");
            }
            for (int j = 0; j < ids.length; j++) {
                if (byId.put(ids[j], ps.get(j)) != null) {
                    throw new IllegalArgumentException("loaded state dict lists parameter " + ids[j] + " twice");
                }
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : saved.entrySet()) {
                if (!e.getKey().equals("params")) {
                    opts.put(e.getKey(), StateValues.decodeHyperparameter("param_groups." + gi + "." + e.getKey(), e.getValue()));
                }
            }
            for (Map.Entry<String, Object> d : defaults.entrySet()) {
                if (!opts.containsKey(d.getKey()) && d.getValue() != REQUIRED) {
                    opts.put(d.getKey(), d.getValue());
                }
            }
            ParamGroup check = new ParamGroup(List.of());
            opts.forEach(check::set);
            try {
                validator.accept(check);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("loaded state dict, param_groups." + gi + ": " + ex.getMessage(), ex);
            }
            newOptions.add(opts);
        }
        Map<Tensor, Map<String, Tensor>> newState = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : sd.tensors().entrySet()) {
            String[] parts = e.getKey().split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state") || !parts[1].matches("\\d+")) {
                throw new IllegalArgumentException("unexpected key in optimizer state dict: '" + e.getKey()
                    + "' (expected state.<n>.<name>)");
            }
            int id = Integer.parseInt(parts[1]);
            Tensor p = byId.get(id);
            if (p == null) {
                throw new IllegalArgumentException("loaded state dict has state for parameter " + id
                    + ", which no parameter group lists");
            }
            Tensor t = e.getValue();
            boolean scalarStep = parts[2].equals("step");
            if (scalarStep ? t.numel() != 1 : !Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException("loaded state dict: " + e.getKey() + " has shape "
                    + Arrays.toString(t.shape()) + " but parameter " + id + " has shape " + Arrays.toString(p.shape()));
            }
            newState.computeIfAbsent(p, k -> new LinkedHashMap<>())
                .put(parts[2], scalarStep ? Tensor.scalar(t.item()) : t.copy());
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            groups.get(gi).replaceOptions(newOptions.get(gi));
        }
        state.clear();
        for (Tensor p : all) {
            Map<String, Tensor> s = newState.get(p);
            if (s != null) {
                state.put(p, s);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            groups.get(i).options().forEach((k, v) -> sb.append("\n    ").append(k).append(": ").append(StateValues.encode(v)));
        }
        return sb.append("\n)").toString();
    }
}
