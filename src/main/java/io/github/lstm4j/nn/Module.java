package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import io.github.lstm4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of every layer and model, like {@code torch.nn.Module}: it owns named parameters,
 * buffers and child modules, switches them between training and evaluation mode, and saves and
 * loads their values by PyTorch's dotted {@code state_dict} keys ({@code lstm.weight_ih_l0},
 * {@code fc.bias}).
 *
 * <p>A model registers its parts in its constructor; the names become the state-dict keys:
 * <pre>{@code
 * class LSTMModel extends Module implements Forward {
 *     final LSTM lstm;
 *     final Linear fc;
 *     LSTMModel(int inputSize, int hiddenSize, int outputSize, int numLayers) {
 *         lstm = registerModule("lstm", LSTM.builder(inputSize, hiddenSize).numLayers(numLayers).batchFirst(true).build());
 *         fc = registerModule("fc", new Linear(hiddenSize, outputSize));
 *     }
 *     public Tensor forward(Tensor x) { ... }
 * }
 * }</pre>
 *
 * <p>Thread safety: registering and loading are not thread-safe; a model in eval mode may be run
 * from several threads at once under {@code noGrad} as long as nobody modifies it.
 */
public abstract class Module {

    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    private static void checkName(String name, String what) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(what + " name must be non-empty and contain no '.', got \"" + name + "\"");
        }
    }

    private void checkFree(String name) {
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
    }

    /**
     * Registers a learnable parameter under {@code name} (PyTorch's {@code register_parameter});
     * returns it. A plain tensor is wrapped as a {@link Parameter} sharing its data.
     */
    protected Parameter registerParameter(String name, Tensor value) {
        checkName(name, "parameter");
        checkFree(name);
        Parameter p = value instanceof Parameter ? (Parameter) value : new Parameter(value);
        params.put(name, p);
        return p;
    }

    /** Registers a non-learnable tensor saved in the state dict (PyTorch's {@code register_buffer}); returns it. */
    protected Tensor registerBuffer(String name, Tensor value) {
        checkName(name, "buffer");
        checkFree(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module under {@code name} (PyTorch's {@code add_module}); returns it. */
    protected <M extends Module> M registerModule(String name, M module) {
        checkName(name, "module");
        checkFree(name);
        if (module == this) {
            throw new IllegalArgumentException("a module cannot be its own child");
        }
        children.put(name, module);
        return module;
    }

    /** Every parameter of this module and its descendants, each once, in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name ({@code fc.weight}), each once, in registration order. */
    public Map<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        collectParameters("", out, seen);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out, IdentityHashMap<Tensor, Boolean> seen) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectParameters(prefix + e.getKey() + ".", out, seen);
        }
    }

    /** This module's direct parameters by local name. */
    public Map<String, Parameter> localParameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Direct children by name. */
    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Direct children. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** This module and all descendants, depth first, each once. */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        IdentityHashMap<Module, Boolean> seen = new IdentityHashMap<>();
        collectModules(out, seen);
        return out;
    }

    private void collectModules(List<Module> out, IdentityHashMap<Module, Boolean> seen) {
        if (seen.put(this, Boolean.TRUE) != null) {
            return;
        }
        out.add(this);
        for (Module m : children.values()) {
            m.collectModules(out, seen);
        }
    }

    /** Sets training mode on this module and every descendant; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    /** Training mode (dropout active); returns this. */
    public Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off); returns this. */
    public Module eval() {
        return train(false);
    }

    /** True in training mode. */
    public boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient, or drops it ({@code setToNone}, PyTorch's default since 2.0). */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            if (setToNone) {
                p.setGrad(null);
            } else if (p.grad() != null) {
                try (NoGrad ignored = Tensor.noGrad()) {
                    p.grad().zero_();
                }
            }
        }
    }

    /** Drops every parameter's gradient (sets it to null). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Parameters and buffers by dotted name, sharing their data (detached), like
     * {@code state_dict()}.
     */
    public Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    private void collectTargets(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectTargets(prefix + e.getKey() + ".", out);
        }
    }

    /** The keys a non-strict load could not match. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /** Strict {@link #loadStateDict(Map, boolean)}. */
    public LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies values from {@code state} into the parameters and buffers of the same dotted names,
     * like {@code load_state_dict}. Nothing is changed unless every check passes.
     *
     * @param strict when true, a key missing from {@code state} or one the model does not have is
     *     an error; when false they are returned
     * @throws IllegalArgumentException listing every missing, unexpected (when strict) and
     *     wrong-shaped key, with both shapes
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> targets = new LinkedHashMap<>();
        collectTargets("", targets);
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : targets.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a param with shape "
                    + Shape.format(src.shape()) + " from checkpoint, the shape in current model is "
                    + Shape.format(e.getValue().shape()) + ".");
            }
        }
        for (String k : state.keySet()) {
            if (!targets.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!mismatched.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":");
            if (strict && !missing.isEmpty()) {
                sb.append("\n\tMissing key(s) in state_dict: ").append(quote(missing)).append('.');
            }
            if (strict && !unexpected.isEmpty()) {
                sb.append("\n\tUnexpected key(s) in state_dict: ").append(quote(unexpected)).append('.');
            }
            for (String m : mismatched) {
                sb.append("\n\t").append(m);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        try (NoGrad ignored = Tensor.noGrad()) {
            for (Map.Entry<String, Tensor> e : targets.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copy_(src);
                }
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    private static String quote(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(keys.get(i)).append('"');
        }
        return sb.toString();
    }

    /**
     * Writes the state dict as a safetensors file (atomically: a temporary file renamed over
     * {@code file}), readable by {@code safetensors.torch.load_file}.
     */
    public void save(Path file) throws IOException {
        Map<String, RawTensor> raw = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict().entrySet()) {
            raw.put(e.getKey(), RawTensor.ofFloats(e.getValue().shape(), e.getValue().toFloatArray()));
        }
        Safetensors.write(file, raw, Map.of("format", "pt"));
    }

    /**
     * Loads a safetensors file written by {@link #save} or by PyTorch's
     * {@code safetensors.torch.save_file(model.state_dict(), path)}, strictly.
     *
     * @throws io.github.lstm4j.io.SafetensorsException for a malformed file
     * @throws IllegalArgumentException for missing, unexpected or wrong-shaped keys
     */
    public void load(Path file) throws IOException {
        loadStateDict(readStateDict(file), true);
    }

    /** Reads every tensor of a safetensors file as float32 tensors by name. */
    public static Map<String, Tensor> readStateDict(Path file) throws IOException {
        SafetensorsContent content = Safetensors.read(file);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, RawTensor> e : content.tensors().entrySet()) {
            state.put(e.getKey(), Tensor.wrap(e.getValue().toFloatArray(), e.getValue().shape()));
        }
        return state;
    }

    /** The constructor arguments shown by {@link #toString()}, like PyTorch's {@code extra_repr}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch-style nested description: {@code LSTMModel(\n  (lstm): LSTM(1, 50, ...)\n  (fc): Linear(...)\n)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (Map.Entry<String, Module> e : children.entrySet()) {
                String child = e.getValue().toString().replace("\n", "\n  ");
                sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
