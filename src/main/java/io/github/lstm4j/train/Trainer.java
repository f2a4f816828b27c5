package io.github.lstm4j.train;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.data.DataLoader;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.LRScheduler;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.ReduceLROnPlateau;
import io.github.lstm4j.optim.Stateful;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fit loop over a {@link DataLoader}: the tutorial's loop, plus the chores around it. It is a
 * convenience, not a cage: it does exactly what this hand-written loop does, and gives
 * bit-identical weights for the same seed and data.
 * <pre>{@code
 * for (int epoch = start; epoch < epochs; epoch++) {
 *     callbacks.onEpochStart(epoch)
 *     model.train();
 *     for (Tensor[] batch : trainLoader) {            // batch[0] input, batch[1] target
 *         Tensor outputs = forward.apply(batch[0]);
 *         optimizer.zeroGrad();
 *         Tensor loss = criterion.apply(outputs, batch[1]);
 *         // a NaN or infinite loss throws IllegalStateException here, before the step
 *         loss.backward();
 *         ClipGrad.clipGradNorm(model.parameters(), maxNorm);      // if clipping
 *         optimizer.step();
 *         callbacks.onBatchEnd(step, loss.item())
 *     }
 *     valLoss = validate();                           // eval mode, noGrad, then train mode again
 *     scheduler.step();                               // ReduceLROnPlateau: plateau.step(valLoss)
 *     early stopping bookkeeping; copy the weights if they are the best so far
 *     callbacks.onEpochEnd(result)                    // may ask to stop
 *     checkpoint every N epochs and after the last one
 *     log every N epochs
 * }
 * restore the best weights (early stopping)
 * }</pre>
 *
 * <p>Losses are averaged over samples: each batch's loss is weighted by its batch size. The
 * <em>monitored loss</em>, which early stopping, the best weights and {@link ReduceLROnPlateau} use,
 * is the validation loss, or the training loss when there is no validation loader.
 *
 * <p>Checkpoints ({@link Checkpoint}) hold the model, optimizer, scheduler, the epoch and step
 * counters, the Trainer's history and early-stopping state (part {@code trainer}, with the best
 * weights when they are kept), and the generators {@value #TRAIN_LOADER_RNG}, {@value #VAL_LOADER_RNG}
 * (with a validation loader), {@value #DEFAULT_RNG} ({@link Generator#defaultGenerator()}) and any
 * added with {@link Builder#generator}. {@link Builder#resumeFrom} restores all of them, the
 * process-wide default generator included, so the resumed run continues bit for bit. A checkpoint
 * that records an early stop resumes to the same stopped state without training further.
 *
 * <pre>{@code
 * History history = Trainer.builder(model)
 *     .loss(criterion::forward)
 *     .optimizer(optimizer)
 *     .trainLoader(train).validationLoader(val)
 *     .epochs(200).logEvery(10)
 *     .earlyStopping(20, 1e-4)
 *     .checkpointEvery(10, Path.of("run/checkpoint.safetensors"))
 *     .build()
 *     .fit();
 * }</pre>
 *
 * <p>Epoch indices in the API count from 0, as in {@code for (int epoch = 0; ...)}; log lines and
 * exception messages count from 1, as the tutorial prints ({@code Epoch [10/100]}). Steps count the
 * optimizer steps taken, from 1.
 *
 * <p>Logs through SLF4J at INFO, every {@code logEvery} epochs:
 * {@code Epoch [10/200] train loss 0.041234, val loss 0.052345, lr 0.001, 312.5 steps/s, elapsed 1.3 s}.
 *
 * <p>Not thread-safe: a trainer, its model, optimizer and loaders belong to one fitting thread.
 * Train several models at once with one trainer (and one model) per thread.
 */
public final class Trainer {

    /** The checkpoint name of the training loader's shuffling generator. */
    public static final String TRAIN_LOADER_RNG = "train_loader";
    /** The checkpoint name of the validation loader's generator. */
    public static final String VAL_LOADER_RNG = "val_loader";
    /** The checkpoint name of {@link Generator#defaultGenerator()}. */
    public static final String DEFAULT_RNG = "default";
    /** The checkpoint part holding the Trainer's history and early-stopping state. */
    public static final String TRAINER_PART = "trainer";

    private static final Logger log = LoggerFactory.getLogger(Trainer.class);

    private final Module module;
    private final Function<Tensor, Tensor> forward;
    private final BiFunction<Tensor, Tensor, Tensor> criterion;
    private final Optimizer optimizer;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;
    private final double maxGradNorm;
    private final DataLoader trainLoader;
    private final DataLoader valLoader;
    private final int epochs;
    private final int logEvery;
    private final int patience;
    private final double minDelta;
    private final boolean keepBest;
    private final List<Callback> callbacks;
    private final int checkpointEvery;
    private final Path checkpointFile;
    private final Map<String, Generator> generators;
    private final Path resumeFrom;

    private Trainer(Builder b) {
        this.module = b.module;
        this.forward = b.forward;
        this.criterion = b.criterion;
        this.optimizer = b.optimizer;
        this.scheduler = b.scheduler;
        this.plateau = b.plateau;
        this.maxGradNorm = b.maxGradNorm;
        this.trainLoader = b.trainLoader;
        this.valLoader = b.valLoader;
        this.epochs = b.epochs;
        this.logEvery = b.logEvery;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.keepBest = b.restoreBestWeights == null ? b.patience != EarlyStopping.NEVER : b.restoreBestWeights;
        this.callbacks = List.copyOf(b.callbacks);
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointFile = b.checkpointFile;
        this.generators = new LinkedHashMap<>(b.generators);
        this.resumeFrom = b.resumeFrom;
    }

    /** A builder for a model that is a {@link Module} with a one-tensor {@code forward}. */
    public static <M extends Module & Forward> Builder builder(M model) {
        Objects.requireNonNull(model, "model");
        return new Builder(model, model::forward);
    }

    /**
     * A builder for a module whose forward pass is {@code forward}; {@code module} is switched
     * between train and eval mode, checkpointed and clipped.
     */
    public static Builder builder(Module module, Function<Tensor, Tensor> forward) {
        return new Builder(Objects.requireNonNull(module, "module"), Objects.requireNonNull(forward, "forward"));
    }

    /**
     * Trains for the configured number of epochs (from the checkpoint's epoch when resuming),
     * leaving the model in training mode with the best weights restored when they were kept. Each
     * call is a new run from epoch 0 (or from the checkpoint) that starts from the current weights
     * and optimizer state.
     *
     * @return the history, the epochs before a resumed checkpoint included
     * @throws IllegalStateException when a training loss is NaN or infinite, naming the epoch and
     *     step; the weights are those before that step and the last checkpoint written is intact
     * @throws UncheckedIOException when a checkpoint cannot be read or written (a failed write leaves
     *     the previous checkpoint intact)
     * @throws IllegalArgumentException when the resumed checkpoint does not fit these objects
     */
    public History fit() {
        FitState state = new FitState(new EarlyStopping(patience, minDelta));
        Path lastSaved = null;
        if (resumeFrom != null) {
            resume(state);
            lastSaved = resumeFrom;
        }
        long start = System.nanoTime();
        long lastLogNanos = start;
        long lastLogStep = state.step;
        for (int epoch = state.epochsDone; epoch < epochs && state.stopped == null; epoch++) {
            for (Callback c : callbacks) {
                c.onEpochStart(epoch);
            }
            long epochStart = System.nanoTime();
            double lr = optimizer.paramGroups().get(0).lr();
            double trainLoss = trainEpoch(state, epoch, lastSaved);
            double valLoss = valLoader == null ? Double.NaN : validate();
            double monitored = valLoader == null ? trainLoss : valLoss;
            if (scheduler != null) {
                scheduler.step();
            }
            if (plateau != null) {
                plateau.step(monitored);
            }
            boolean improved = state.tracker.update(epoch, monitored);
            if (improved && keepBest) {
                state.bestWeights = copyWeights();
            }
            EpochResult result = new EpochResult(epoch, trainLoss, valLoss, lr, state.step, trainLoader.len(),
                (System.nanoTime() - epochStart) / 1e9, improved);
            state.results.add(result);
            state.epochsDone = epoch + 1;
            History.StopReason stop = state.tracker.shouldStop() ? History.StopReason.EARLY_STOPPING : null;
            for (Callback c : callbacks) {
                if (c.onEpochEnd(result) && stop == null) {
                    stop = History.StopReason.CALLBACK;
                }
            }
            state.stopped = stop;
            boolean last = stop != null || epoch + 1 == epochs;
            if (checkpointFile != null && ((epoch + 1) % checkpointEvery == 0 || last)) {
                writeCheckpoint(state);
                lastSaved = checkpointFile;
            }
            if (logEvery > 0 && (epoch + 1) % logEvery == 0 && log.isInfoEnabled()) {
                long now = System.nanoTime();
                double stepsPerSecond = (state.step - lastLogStep) / Math.max((now - lastLogNanos) / 1e9, 1e-9);
                log.info(progress(result, stepsPerSecond, (now - start) / 1e9));
                lastLogNanos = now;
                lastLogStep = state.step;
            }
            if (stop == History.StopReason.EARLY_STOPPING) {
                log.info("Early stopping after epoch {}: no improvement of the {} loss for {} epochs "
                    + "(best {} at epoch {})",
                    epoch + 1, valLoader == null ? "training" : "validation", state.tracker.badEpochs,
                    state.tracker.bestLoss(), state.tracker.bestEpoch + 1);
            } else if (stop == History.StopReason.CALLBACK) {
                log.info("Stopping after epoch {}: a callback asked to stop", epoch + 1);
            }
        }
        boolean restored = false;
        if (keepBest && state.bestWeights != null) {
            module.loadStateDict(state.bestWeights, true);
            restored = true;
            log.info("Restored the weights of epoch {} (best {} loss {})", state.tracker.bestEpoch + 1,
                valLoader == null ? "training" : "validation", state.tracker.bestLoss());
        }
        module.train();
        return new History(state.results, state.tracker.bestEpoch, state.tracker.bestLoss(),
            state.stopped == null ? History.StopReason.COMPLETED : state.stopped, restored);
    }

    /** One epoch of training steps; returns the sample-weighted mean loss. */
    private double trainEpoch(FitState state, int epoch, Path lastSaved) {
        module.train();
        double sum = 0;
        long samples = 0;
        int batchIndex = 0;
        int batches = trainLoader.len();
        for (Tensor[] batch : trainLoader) {
            checkBatch(batch, "training");
            Tensor outputs = forward.apply(batch[0]);
            optimizer.zeroGrad();
            Tensor loss = criterion.apply(outputs, batch[1]);
            float value = loss.item();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                    "training loss is %s at epoch %d/%d (index %d), step %d (batch %d of %d in the epoch); the "
                        + "weights are those after step %d%s", value, epoch + 1, epochs, epoch, state.step + 1,
                    batchIndex + 1, batches, state.step, lastSaved == null ? ", and no checkpoint was written"
                        : "; the last checkpoint, " + lastSaved + " (epoch " + state.lastCheckpointEpoch
                        + "), is intact"));
            }
            loss.backward();
            if (!Double.isNaN(maxGradNorm)) {
                ClipGrad.clipGradNorm(module.parameters(), maxGradNorm);
            }
            optimizer.step();
            state.step++;
            batchIndex++;
            int n = batch[0].size(0);
            sum += (double) value * n;
            samples += n;
            for (Callback c : callbacks) {
                c.onBatchEnd(state.step, value);
            }
        }
        return sum / samples;
    }

    /** The sample-weighted mean validation loss, in eval mode under noGrad; the mode is restored. */
    @SuppressWarnings("try")
    private double validate() {
        boolean wasTraining = module.isTraining();
        module.eval();
        double sum = 0;
        long samples = 0;
        try (NoGrad ignored = Tensor.noGrad()) {
            for (Tensor[] batch : valLoader) {
                checkBatch(batch, "validation");
                float value = criterion.apply(forward.apply(batch[0]), batch[1]).item();
                int n = batch[0].size(0);
                sum += (double) value * n;
                samples += n;
            }
        } finally {
            module.train(wasTraining);
        }
        return sum / samples;
    }

    private static void checkBatch(Tensor[] batch, String which) {
        if (batch.length < 2) {
            throw new IllegalArgumentException("the " + which + " loader must yield {input, target} batches, got "
                + batch.length + " tensor(s) per batch");
        }
    }

    private Map<String, Tensor> copyWeights() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        module.stateDict().forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    private String progress(EpochResult r, double stepsPerSecond, double elapsed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Epoch [%d/%d] train loss %.6f", r.epoch() + 1, epochs, r.trainLoss()));
        if (valLoader != null) {
            sb.append(String.format(Locale.ROOT, ", val loss %.6f", r.valLoss()));
        }
        sb.append(String.format(Locale.ROOT, ", lr %.6g, %.1f steps/s, elapsed %.1f s", r.lr(), stepsPerSecond,
            elapsed));
        return sb.toString();
    }

    private Map<String, Generator> checkpointGenerators() {
        Map<String, Generator> out = new LinkedHashMap<>();
        out.put(TRAIN_LOADER_RNG, trainLoader.generator());
        if (valLoader != null) {
            out.put(VAL_LOADER_RNG, valLoader.generator());
        }
        out.put(DEFAULT_RNG, Generator.defaultGenerator());
        out.putAll(generators);
        return out;
    }

    private Stateful schedulerState() {
        return scheduler != null ? scheduler : plateau;
    }

    private void writeCheckpoint(FitState state) {
        Checkpoint.Builder b = Checkpoint.builder()
            .model(module)
            .optimizer(optimizer)
            .epoch(state.epochsDone)
            .step(state.step);
        if (schedulerState() != null) {
            b.scheduler(schedulerState());
        }
        b.part(TRAINER_PART, FitState.TYPE, state.toStateDict());
        checkpointGenerators().forEach(b::generator);
        try {
            Path dir = checkpointFile.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            b.save(checkpointFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + state.epochsDone + " to "
                + checkpointFile + (state.lastCheckpointEpoch >= 0 ? "; the previous one (epoch "
                + state.lastCheckpointEpoch + ") is intact" : ""), e);
        }
        state.lastCheckpointEpoch = state.epochsDone;
        log.debug("wrote checkpoint {} (epoch {}, step {})", checkpointFile, state.epochsDone, state.step);
    }

    private void resume(FitState state) {
        Checkpoint ckpt;
        try {
            ckpt = Checkpoint.load(resumeFrom);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoint to resume from, " + resumeFrom, e);
        }
        if (schedulerState() == null && ckpt.has(Checkpoint.SCHEDULER)) {
            throw new IllegalArgumentException("checkpoint " + resumeFrom + " holds the state of a "
                + ckpt.type(Checkpoint.SCHEDULER) + " scheduler but this Trainer has no scheduler");
        }
        Map<String, Generator> gens = checkpointGenerators();
        for (String name : gens.keySet()) {
            ckpt.generatorState(name); // fail before anything changes
        }
        if (ckpt.has(TRAINER_PART)) {
            if (!ckpt.type(TRAINER_PART).equals(FitState.TYPE)) {
                throw new IllegalArgumentException("checkpoint " + resumeFrom + " has a part \"" + TRAINER_PART
                    + "\" of type " + ckpt.type(TRAINER_PART) + ", expected " + FitState.TYPE);
            }
            try {
                state.load(ckpt.part(TRAINER_PART));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("checkpoint " + resumeFrom + ": " + e.getMessage(), e);
            }
        }
        String savedOptimizer = ckpt.type(Checkpoint.OPTIMIZER);
        if (!savedOptimizer.equals(optimizer.name())) {
            throw new IllegalArgumentException("checkpoint " + resumeFrom + " holds the state of a " + savedOptimizer
                + " optimizer, this Trainer has a " + optimizer.name());
        }
        ckpt.restoreModel(module);
        ckpt.restoreOptimizer(optimizer);
        if (schedulerState() != null) {
            ckpt.restoreScheduler(schedulerState());
        }
        gens.forEach(ckpt::restoreGenerator);
        state.epochsDone = ckpt.epoch();
        state.step = ckpt.step();
        state.lastCheckpointEpoch = ckpt.epoch();
        if (!keepBest) {
            state.bestWeights = null;
        }
        if (state.stopped != null) {
            log.info("Resumed from {}: training had stopped after epoch {} ({}); nothing left to train", resumeFrom,
                state.epochsDone, state.stopped);
        } else {
            log.info("Resumed from {} at epoch {}/{} (step {})", resumeFrom, state.epochsDone + 1, epochs, state.step);
        }
    }

    /**
     * The Trainer's configuration. Required: {@link #loss}, {@link #optimizer},
     * {@link #trainLoader}; everything else has a default.
     */
    public static final class Builder {
        private final Module module;
        private final Function<Tensor, Tensor> forward;
        private BiFunction<Tensor, Tensor, Tensor> criterion;
        private Optimizer optimizer;
        private LRScheduler scheduler;
        private ReduceLROnPlateau plateau;
        private double maxGradNorm = Double.NaN;
        private DataLoader trainLoader;
        private DataLoader valLoader;
        private int epochs = 1;
        private int logEvery = 1;
        private int patience = EarlyStopping.NEVER;
        private double minDelta;
        private Boolean restoreBestWeights;
        private final List<Callback> callbacks = new ArrayList<>();
        private int checkpointEvery;
        private Path checkpointFile;
        private final Map<String, Generator> generators = new LinkedHashMap<>();
        private Path resumeFrom;

        private Builder(Module module, Function<Tensor, Tensor> forward) {
            this.module = module;
            this.forward = forward;
        }

        /** The loss of (outputs, targets), e.g. {@code criterion::forward}; it must return one element. */
        public Builder loss(BiFunction<Tensor, Tensor, Tensor> criterion) {
            this.criterion = Objects.requireNonNull(criterion, "loss");
            return this;
        }

        /** The optimizer, built over the model's parameters. */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** An epoch scheduler, stepped once after each epoch (replaces any scheduler set before). */
        public Builder scheduler(LRScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.plateau = null;
            return this;
        }

        /**
         * A plateau scheduler, stepped after each epoch with the monitored loss: the validation
         * loss, or the training loss without a validation loader (replaces any scheduler set before).
         */
        public Builder scheduler(ReduceLROnPlateau scheduler) {
            this.plateau = Objects.requireNonNull(scheduler, "scheduler");
            this.scheduler = null;
            return this;
        }

        /** Clips the gradients' joint 2-norm to {@code maxNorm} before every step ({@link ClipGrad#clipGradNorm}). */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("clipGradNorm: max norm must be finite and >= 0, got " + maxNorm);
            }
            this.maxGradNorm = maxNorm;
            return this;
        }

        /** The training batches, {@code {input, target, ...}}; one pass is one epoch. */
        public Builder trainLoader(DataLoader loader) {
            this.trainLoader = Objects.requireNonNull(loader, "trainLoader");
            return this;
        }

        /** Validation batches, evaluated after every epoch in eval mode under noGrad. */
        public Builder validationLoader(DataLoader loader) {
            this.valLoader = Objects.requireNonNull(loader, "validationLoader");
            return this;
        }

        /** The total number of epochs (default 1); a resumed run trains the epochs left. */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Logs progress every {@code epochs} epochs (default 1; 0 never). */
        public Builder logEvery(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("logEvery must be >= 0, got " + epochs);
            }
            this.logEvery = epochs;
            return this;
        }

        /**
         * Stops when the monitored loss has not improved by more than {@code minDelta} for
         * {@code patience} epochs in a row, then restores the best weights (unless
         * {@link #restoreBestWeights(boolean) restoreBestWeights(false)}).
         */
        public Builder earlyStopping(int patience, double minDelta) {
            EarlyStopping.check(patience, minDelta);
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /**
         * Whether to keep a copy of the weights of the best epoch in memory and load them at the
         * end (default: true with early stopping, false without).
         */
        public Builder restoreBestWeights(boolean restore) {
            this.restoreBestWeights = restore;
            return this;
        }

        /** Adds a callback; callbacks run in the order added. */
        public Builder callback(Callback callback) {
            callbacks.add(Objects.requireNonNull(callback, "callback"));
            return this;
        }

        /**
         * Writes a checkpoint to {@code file} (atomically, replacing the previous one) every
         * {@code everyEpochs} epochs and after the last epoch; missing directories are created.
         */
        public Builder checkpointEvery(int everyEpochs, Path file) {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("checkpointEvery must be >= 1 epochs, got " + everyEpochs);
            }
            this.checkpointEvery = everyEpochs;
            this.checkpointFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Saves and restores {@code generator} with checkpoints under {@code name}: add every
         * generator that draws during training and is not the default generator or a loader's,
         * such as a model's dropout generator.
         *
         * @throws IllegalArgumentException for a name the Trainer uses itself or one given twice
         */
        public Builder generator(String name, Generator generator) {
            Objects.requireNonNull(generator, "generator");
            if (!Checkpoint.isValidName(name)) {
                throw new IllegalArgumentException("a generator name is letters, digits and '_', got "
                    + (name == null ? "null" : "\"" + name + "\""));
            }
            if (name.equals(TRAIN_LOADER_RNG) || name.equals(VAL_LOADER_RNG) || name.equals(DEFAULT_RNG)
                || generators.containsKey(name)) {
                throw new IllegalArgumentException("generator name \"" + name + "\" is taken (the Trainer saves "
                    + TRAIN_LOADER_RNG + ", " + VAL_LOADER_RNG + " and " + DEFAULT_RNG + " itself)");
            }
            generators.put(name, generator);
            return this;
        }

        /**
         * Continues from a checkpoint written by a Trainer configured the same way: restores the
         * model, optimizer, scheduler, generators, counters and history before training. The
         * checkpoint must hold every generator this Trainer saves.
         */
        public Builder resumeFrom(Path file) {
            this.resumeFrom = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * The Trainer.
         *
         * @throws IllegalArgumentException naming a missing loss, optimizer or train loader, or a
         *     loader without batches
         */
        public Trainer build() {
            if (criterion == null) {
                throw new IllegalArgumentException("Trainer needs a loss: .loss(criterion::forward)");
            }
            if (optimizer == null) {
                throw new IllegalArgumentException("Trainer needs an optimizer: "
                    + ".optimizer(new Adam(model.parameters()))");
            }
            if (trainLoader == null) {
                throw new IllegalArgumentException("Trainer needs a training loader: .trainLoader(loader)");
            }
            if (trainLoader.len() == 0) {
                throw new IllegalArgumentException("the training loader yields no batches: " + trainLoader);
            }
            if (valLoader != null && valLoader.len() == 0) {
                throw new IllegalArgumentException("the validation loader yields no batches: " + valLoader);
            }
            return new Trainer(this);
        }
    }
}
