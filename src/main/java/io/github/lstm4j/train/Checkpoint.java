package io.github.lstm4j.train;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.io.DType;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import io.github.lstm4j.io.SafetensorsException;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.StateDict;
import io.github.lstm4j.optim.Stateful;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything needed to continue a training run exactly, in one safetensors file: the model's
 * weights, the optimizer's and the scheduler's state, the epoch and step counters, the states of
 * any number of random generators, and a few user strings. Continuing from a checkpoint gives
 * bit-identical weights to a run that was never interrupted, provided every generator that draws
 * during training (dropout, shuffling) is saved and restored.
 *
 * <p>Layout (tensor names and {@code __metadata__} keys):
 * <pre>
 * model.&lt;key&gt;       F32   the model's state dict ({@code model.lstm.weight_ih_l0}, {@code model.fc.bias})
 * optimizer.&lt;key&gt;   F32   the optimizer's state tensors ({@code optimizer.state.0.exp_avg},
 *                         {@code optimizer.state.0.step} 0-dim)
 * scheduler.&lt;key&gt;   F32   (schedulers have no tensors)
 * &lt;part&gt;.&lt;key&gt;      F32   any other part, e.g. the Trainer's {@code trainer.best_model.fc.bias}
 * rng.&lt;name&gt;        I64 [4]  a generator's state ({@link Generator#getState()})
 *
 * __metadata__
 *   format           "lstm4j.checkpoint"
 *   format_version   "1"
 *   epoch, step      decimal counters
 *   &lt;part&gt;           the part's type: "LSTMModel", "Adam", "StepLR", "Trainer"
 *   &lt;part&gt;.&lt;key&gt;     the part's scalar state as exact strings
 *                    ({@code optimizer.param_groups.0.lr = "0.001"}, {@code scheduler.last_epoch = "3"})
 *   user.&lt;key&gt;       user metadata
 * </pre>
 * Floats are stored as they are (F32 bit patterns); hyperparameters and scheduler fields as
 * {@link Double#toString(double)} strings, which parse back to the same double. PyTorch's
 * {@code safetensors.torch.load_file} reads the file.
 *
 * <p>Saving takes a snapshot when each part is added to the builder; {@link #save(Path)} writes it
 * atomically through {@link Safetensors#write}: a temporary file in the same directory, forced to
 * disk and renamed over the target. A failure at any point leaves the previous checkpoint as it
 * was.
 * <pre>{@code
 * Checkpoint.builder()
 *     .model(model).optimizer(optimizer).scheduler(scheduler)
 *     .epoch(epoch + 1).step(step)
 *     .generator("loader", loader.generator())
 *     .generator("default", Generator.defaultGenerator())
 *     .save(Path.of("run/checkpoint.safetensors"));
 *
 * Checkpoint ckpt = Checkpoint.load(Path.of("run/checkpoint.safetensors"));
 * ckpt.restoreModel(model);          // fresh objects built the same way
 * ckpt.restoreOptimizer(optimizer);
 * ckpt.restoreScheduler(scheduler);
 * loader.setGeneratorState(ckpt.generatorState("loader"));
 * ckpt.restoreGenerator("default", Generator.defaultGenerator());
 * for (int epoch = ckpt.epoch(); epoch < epochs; epoch++) { ... }
 * }</pre>
 *
 * <p>Immutable; {@link #load(Path)} validates the whole file before returning.
 */
public final class Checkpoint {

    /** The value of the {@code format} metadata key. */
    public static final String FORMAT = "lstm4j.checkpoint";
    /** The layout version written; files of a newer version are refused. */
    public static final int FORMAT_VERSION = 1;
    /** The part holding the model's state dict. */
    public static final String MODEL = "model";
    /** The part holding the optimizer's state dict. */
    public static final String OPTIMIZER = "optimizer";
    /** The part holding the learning-rate scheduler's state dict. */
    public static final String SCHEDULER = "scheduler";

    private static final String RNG = "rng";
    private static final String USER = "user";
    private static final Set<String> RESERVED = Set.of(RNG, USER, "format", "format_version", "epoch", "step");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final Map<String, RawTensor> tensors;
    private final Map<String, String> metadata;
    private final Map<String, String> parts;
    private final String source;
    private final int epoch;
    private final long step;

    private Checkpoint(Map<String, RawTensor> tensors, Map<String, String> metadata, String source)
            throws SafetensorsException {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.source = source;
        String format = metadata.get("format");
        if (!FORMAT.equals(format)) {
            throw new SafetensorsException(source + " is not an lstm4j checkpoint (its __metadata__ has format "
                + (format == null ? "missing" : "\"" + format + "\"") + ", expected \"" + FORMAT
                + "\"); a file of model weights alone loads with Module.load");
        }
        long version = counter("format_version");
        if (version < 1 || version > FORMAT_VERSION) {
            throw new SafetensorsException(source + " has checkpoint format_version " + version
                + "; this lstm4j reads versions 1 to " + FORMAT_VERSION);
        }
        long e = counter("epoch");
        if (e > Integer.MAX_VALUE) {
            throw new SafetensorsException(source + ": epoch " + e + " is too large");
        }
        this.epoch = (int) e;
        this.step = counter("step");
        Map<String, String> p = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            String k = m.getKey();
            if (k.indexOf('.') < 0 && !RESERVED.contains(k)) {
                p.put(k, m.getValue());
            }
        }
        this.parts = Collections.unmodifiableMap(p);
        for (Map.Entry<String, RawTensor> t : tensors.entrySet()) {
            checkTensor(t.getKey(), t.getValue());
        }
    }

    private long counter(String key) throws SafetensorsException {
        String s = metadata.get(key);
        if (s == null) {
            throw new SafetensorsException(source + " lacks the __metadata__ key \"" + key + "\"");
        }
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new NumberFormatException("negative");
            }
            return v;
        } catch (NumberFormatException ex) {
            throw new SafetensorsException(source + ": __metadata__ \"" + key + "\" is \"" + s
                + "\", expected a non-negative integer", ex);
        }
    }

    private void checkTensor(String name, RawTensor t) throws SafetensorsException {
        int dot = name.indexOf('.');
        String part = dot < 0 ? name : name.substring(0, dot);
        if (part.equals(RNG)) {
            if (t.dtype() != DType.I64 || !Arrays.equals(t.shape(), new int[] {4})) {
                throw new SafetensorsException(source + ": generator state \"" + name + "\" is " + t.dtype()
                    + " " + Arrays.toString(t.shape()) + ", expected I64 [4]");
            }
            return;
        }
        if (dot < 0 || !parts.containsKey(part)) {
            throw new SafetensorsException(source + ": tensor \"" + name + "\" belongs to no part of the checkpoint "
                + "(parts: " + parts.keySet() + ")");
        }
        if (t.dtype() != DType.F32) {
            throw new SafetensorsException(source + ": tensor \"" + name + "\" is " + t.dtype() + ", expected F32");
        }
    }

    /** A builder for a new checkpoint; each part is copied when it is added. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and validates a checkpoint written by {@link #save(Path)}.
     *
     * @throws SafetensorsException for a malformed file, a safetensors file that is not a checkpoint
     *     (such as model weights written by {@link Module#save}), a newer format version, or a
     *     tensor of the wrong type
     * @throws IOException when the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        SafetensorsContent content = Safetensors.read(file);
        return new Checkpoint(content.tensors(), content.metadata(), "checkpoint " + file);
    }

    /**
     * Writes this checkpoint to {@code file} atomically (temporary file, fsync, rename): if the
     * write fails, a checkpoint already at {@code file} is left untouched. The directory must exist.
     *
     * @throws IOException when writing fails
     */
    public void save(Path file) throws IOException {
        Safetensors.write(file, tensors, metadata);
    }

    /** The epoch counter: by convention the number of finished epochs, i.e. the index of the next one. */
    public int epoch() {
        return epoch;
    }

    /** The step counter: by convention the number of optimizer steps taken. */
    public long step() {
        return step;
    }

    /** The names of the parts held, in file order ({@code model}, {@code optimizer}, ...). */
    public Set<String> parts() {
        return parts.keySet();
    }

    /** True when the checkpoint holds part {@code name}. */
    public boolean has(String name) {
        return parts.containsKey(name);
    }

    /**
     * The type recorded for a part ({@code "Adam"}, {@code "StepLR"}, the model's class name).
     *
     * @throws IllegalArgumentException naming the part when it is absent
     */
    public String type(String name) {
        requirePart(name);
        return parts.get(name);
    }

    /**
     * The state of part {@code name}: its tensors (fresh float32 tensors) and values, keys without
     * the {@code name.} prefix.
     *
     * @throws IllegalArgumentException naming the part when it is absent
     */
    public StateDict part(String name) {
        requirePart(name);
        String prefix = name + ".";
        Map<String, Tensor> t = new LinkedHashMap<>();
        tensors.forEach((k, raw) -> {
            if (k.startsWith(prefix)) {
                t.put(k.substring(prefix.length()), Tensor.wrap(raw.toFloatArray(), raw.shape()));
            }
        });
        Map<String, String> v = new LinkedHashMap<>();
        metadata.forEach((k, s) -> {
            if (k.startsWith(prefix)) {
                v.put(k.substring(prefix.length()), s);
            }
        });
        return new StateDict(t, v);
    }

    /**
     * The model's state dict (fresh tensors), keyed as {@link Module#stateDict()}.
     *
     * @throws IllegalArgumentException when the checkpoint has no model part
     */
    public Map<String, Tensor> modelState() {
        return part(MODEL).tensors();
    }

    /**
     * Copies the saved weights into {@code model}, strictly (every key must match, with its shape).
     *
     * @throws IllegalArgumentException when the checkpoint has no model part, or listing the missing,
     *     unexpected and wrong-shaped keys; the model is unchanged then
     */
    public void restoreModel(Module model) {
        Objects.requireNonNull(model, "model");
        Map<String, Tensor> state = modelState();
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": cannot restore the model: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the optimizer's state (per-parameter state and every group's hyperparameters).
     *
     * @throws IllegalArgumentException when the checkpoint has no optimizer part, holds another
     *     optimizer's state ({@code Adam} into {@code SGD}), or the state does not fit
     */
    public void restoreOptimizer(Optimizer optimizer) {
        restore(OPTIMIZER, optimizer);
    }

    /**
     * Restores a learning-rate scheduler's state ({@code LRScheduler} or {@code ReduceLROnPlateau}).
     * Restore the optimizer too: the scheduler does not change the learning rates it holds.
     *
     * @throws IllegalArgumentException when the checkpoint has no scheduler part, holds another kind
     *     of scheduler, or the state does not fit
     */
    public void restoreScheduler(Stateful scheduler) {
        restore(SCHEDULER, scheduler);
    }

    /**
     * Restores part {@code name} into {@code target}, after checking the saved type is the target's.
     *
     * @throws IllegalArgumentException when the part is absent, of another type, or does not fit
     */
    public void restore(String name, Stateful target) {
        Objects.requireNonNull(target, "target");
        String saved = type(name);
        String wanted = typeOf(target);
        if (!saved.equals(wanted)) {
            throw new IllegalArgumentException(source + " holds the " + name + " state of " + saved
                + ", which cannot be restored into " + wanted);
        }
        try {
            target.loadStateDict(part(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": cannot restore the " + name + ": " + e.getMessage(), e);
        }
    }

    /** The names of the saved generators. */
    public Set<String> generators() {
        Set<String> out = new LinkedHashSet<>();
        for (String k : tensors.keySet()) {
            if (k.startsWith(RNG + ".")) {
                out.add(k.substring(RNG.length() + 1));
            }
        }
        return out;
    }

    /** True when a generator state named {@code name} was saved. */
    public boolean hasGenerator(String name) {
        return tensors.containsKey(RNG + "." + name);
    }

    /**
     * The saved state of generator {@code name}, for {@link Generator#setState(long[])} or
     * {@code DataLoader.setGeneratorState}.
     *
     * @throws IllegalArgumentException naming the generator when it was not saved
     */
    public long[] generatorState(String name) {
        RawTensor t = tensors.get(RNG + "." + name);
        if (t == null) {
            throw new IllegalArgumentException(source + " has no state for generator \"" + name
                + "\"; it has " + generators());
        }
        return t.toLongArray();
    }

    /**
     * Sets {@code generator} to the saved state of generator {@code name}.
     *
     * @throws IllegalArgumentException naming the generator when it was not saved
     */
    public void restoreGenerator(String name, Generator generator) {
        Objects.requireNonNull(generator, "generator");
        generator.setState(generatorState(name));
    }

    /** The user metadata (keys without the {@code user.} prefix). */
    public Map<String, String> metadata() {
        Map<String, String> out = new LinkedHashMap<>();
        String prefix = USER + ".";
        metadata.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * One user metadata value.
     *
     * @throws IllegalArgumentException naming the key when it is absent
     */
    public String metadata(String key) {
        String v = metadata.get(USER + "." + key);
        if (v == null) {
            throw new IllegalArgumentException(source + " has no user metadata \"" + key + "\"; it has "
                + metadata().keySet());
        }
        return v;
    }

    private void requirePart(String name) {
        if (!parts.containsKey(name)) {
            StringBuilder has = new StringBuilder();
            parts.forEach((p, type) -> has.append(has.length() == 0 ? "" : ", ").append(p).append(" (").append(type)
                .append(')'));
            throw new IllegalArgumentException(source + " has no " + name + " state; it holds "
                + (has.length() == 0 ? "no parts" : has) + (generators().isEmpty() ? "" : " and generators "
                + generators()));
        }
    }

    /** True for a valid part or generator name: letters, digits and {@code _}. */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The type recorded for a stateful part: an optimizer's name, else the simple class name. */
    static String typeOf(Object o) {
        if (o instanceof Optimizer) {
            return ((Optimizer) o).name();
        }
        String simple = o.getClass().getSimpleName();
        return simple.isEmpty() ? o.getClass().getName() : simple;
    }

    @Override
    public String toString() {
        return "Checkpoint(epoch=" + epoch + ", step=" + step + ", parts=" + parts + ", generators=" + generators()
            + ")";
    }

    /**
     * Collects the parts of a checkpoint. Each method copies the state it is given at the moment it
     * is called, so later training does not change what is saved.
     */
    public static final class Builder {
        private final Map<String, String> types = new LinkedHashMap<>();
        private final Map<String, RawTensor> partTensors = new LinkedHashMap<>();
        private final Map<String, String> partValues = new LinkedHashMap<>();
        private final Map<String, RawTensor> rng = new LinkedHashMap<>();
        private final Map<String, String> user = new LinkedHashMap<>();
        private long epoch;
        private long step;

        private Builder() {
        }

        /** Adds the model's state dict as part {@code model}. */
        public Builder model(Module model) {
            Objects.requireNonNull(model, "model");
            return part(MODEL, typeOf(model), new StateDict(model.stateDict(), Map.of()));
        }

        /** Adds the optimizer's state dict as part {@code optimizer}. */
        public Builder optimizer(Optimizer optimizer) {
            return part(OPTIMIZER, optimizer);
        }

        /** Adds a scheduler's state dict ({@code LRScheduler}, {@code ReduceLROnPlateau}) as part {@code scheduler}. */
        public Builder scheduler(Stateful scheduler) {
            return part(SCHEDULER, scheduler);
        }

        /** Adds the state of any {@link Stateful} as part {@code name}, typed by its class. */
        public Builder part(String name, Stateful state) {
            Objects.requireNonNull(state, name);
            return part(name, typeOf(state), state.stateDict());
        }

        /**
         * Adds a part: its tensors (stored as F32) and values (stored as metadata strings).
         *
         * @param name  letters, digits and {@code _}; not {@code rng}, {@code user}, {@code format},
         *              {@code format_version}, {@code epoch} or {@code step}
         * @param type  what the part holds, checked by {@link Checkpoint#restore}
         * @throws IllegalArgumentException for an invalid or repeated name
         */
        public Builder part(String name, String type, StateDict state) {
            checkName("part", name);
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException("\"" + name + "\" is reserved and cannot name a checkpoint part");
            }
            if (types.containsKey(name)) {
                throw new IllegalArgumentException("the checkpoint already has a part \"" + name + "\"");
            }
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(state, "state");
            Map<String, RawTensor> t = new LinkedHashMap<>();
            state.tensors().forEach((k, v) -> t.put(name + "." + k, RawTensor.ofFloats(v.shape(), v.toFloatArray())));
            types.put(name, type);
            partTensors.putAll(t);
            state.values().forEach((k, v) -> partValues.put(name + "." + k, v));
            return this;
        }

        /** The epoch counter, by convention the number of finished epochs (default 0). */
        public Builder epoch(int epoch) {
            if (epoch < 0) {
                throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
            }
            this.epoch = epoch;
            return this;
        }

        /** The step counter, by convention the number of optimizer steps taken (default 0). */
        public Builder step(long step) {
            if (step < 0) {
                throw new IllegalArgumentException("step must be >= 0, got " + step);
            }
            this.step = step;
            return this;
        }

        /** Saves the current state of {@code generator} as {@code rng.<name>}. */
        public Builder generator(String name, Generator generator) {
            Objects.requireNonNull(generator, name);
            return generatorState(name, generator.getState());
        }

        /**
         * Saves a generator state taken earlier (such as a loader's state at the start of an epoch).
         *
         * @throws IllegalArgumentException for an invalid or repeated name, or a state that is not 4 longs
         */
        public Builder generatorState(String name, long[] state) {
            checkName("generator", name);
            if (rng.containsKey(name)) {
                throw new IllegalArgumentException("the checkpoint already has a generator \"" + name + "\"");
            }
            if (state == null || state.length != 4) {
                throw new IllegalArgumentException("generator \"" + name + "\": a state has 4 longs, got "
                    + (state == null ? "null" : state.length));
            }
            rng.put(name, RawTensor.ofLongs(new int[] {4}, state));
            return this;
        }

        /** Adds a user metadata string (stored as {@code user.<key>}). */
        public Builder metadata(String key, String value) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("metadata key must be non-empty");
            }
            user.put(key, Objects.requireNonNull(value, key));
            return this;
        }

        /** The checkpoint, in memory. */
        public Checkpoint build() {
            Map<String, RawTensor> tensors = new LinkedHashMap<>(partTensors);
            rng.forEach((k, v) -> tensors.put(RNG + "." + k, v));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", FORMAT);
            meta.put("format_version", Integer.toString(FORMAT_VERSION));
            meta.put("epoch", Long.toString(epoch));
            meta.put("step", Long.toString(step));
            meta.putAll(types);
            meta.putAll(partValues);
            user.forEach((k, v) -> meta.put(USER + "." + k, v));
            try {
                return new Checkpoint(tensors, meta, "checkpoint");
            } catch (SafetensorsException e) {
                throw new IllegalStateException("built an invalid checkpoint: " + e.getMessage(), e);
            }
        }

        /** {@code build().save(file)}: writes the checkpoint atomically. */
        public Checkpoint save(Path file) throws IOException {
            Checkpoint c = build();
            c.save(file);
            return c;
        }

        private static void checkName(String what, String name) {
            if (!isValidName(name)) {
                throw new IllegalArgumentException("a checkpoint " + what + " name is letters, digits and '_', got "
                    + (name == null ? "null" : "\"" + name + "\""));
            }
        }
    }
}
