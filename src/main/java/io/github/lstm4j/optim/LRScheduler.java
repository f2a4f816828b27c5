package io.github.lstm4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of epoch-based learning-rate schedulers, like PyTorch 1.13's {@code _LRScheduler}:
 * call {@link #step()} once per epoch <em>after</em> {@code optimizer.step()}; each call advances
 * {@code last_epoch} and sets every group's {@code lr} from the scheduler's chainable formula.
 *
 * <p>Construction does what PyTorch's does: with {@code lastEpoch = -1} it records each group's
 * {@code lr} as {@code initial_lr} (unless already present), takes the {@code initial_lr}s as
 * {@code base_lrs}, and performs a first step to epoch 0, so {@link #getLastLr()} holds the starting
 * rates. With {@code lastEpoch >= 0} (resuming) every group must already have {@code initial_lr}.
 *
 * <pre>{@code
 * StepLR sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);        // opt.step() inside
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>Subclasses implement {@link #computeLr} and must call {@link #initialStep()} as the last line
 * of their constructor (after their own fields are set).
 *
 * <p>Not thread-safe: step it from the training loop's thread, like its optimizer.
 */
public abstract class LRScheduler implements Stateful {

    private static final Logger log = LoggerFactory.getLogger(LRScheduler.class);

    /** The optimizer whose groups' {@code lr} this scheduler sets. */
    protected final Optimizer optimizer;
    private double[] baseLrs;
    private int lastEpoch;
    private int stepCount;
    private double[] lastLr;
    private final long optimizerStepsAtStart;

    /**
     * @param lastEpoch -1 to start; the index of the last finished epoch to resume
     * @throws IllegalArgumentException for {@code lastEpoch < -1}, or when resuming and a group has no
     *     {@code initial_lr}
     */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (lastEpoch < -1) {
            throw new IllegalArgumentException("Invalid last_epoch: " + lastEpoch + " (expected -1 to start, or the "
                + "last finished epoch to resume)");
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (lastEpoch == -1) {
                if (!g.has("initial_lr")) {
                    g.set("initial_lr", g.lr());
                }
            } else if (!g.has("initial_lr")) {
                throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i
                    + "] when resuming an optimizer");
            }
        }
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).getDouble("initial_lr");
        }
        this.lastEpoch = lastEpoch;
        this.optimizerStepsAtStart = optimizer.stepCount();
    }

    /** Performs the first step, like PyTorch's {@code _initial_step}; the last line of a subclass constructor. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /**
     * Advances one epoch and sets each group's learning rate, like {@code scheduler.step()}. Logs a
     * warning (once) when called before the optimizer has stepped, since that skips the first rate
     * of the schedule.
     */
    public final void step() {
        if (stepCount == 1 && optimizer.stepCount() == optimizerStepsAtStart) {
            log.warn("Detected call of lr_scheduler.step() before optimizer.step(). Call optimizer.step() first, "
                + "then lr_scheduler.step(); otherwise the first value of the learning rate schedule is skipped.");
        }
        stepCount++;
        lastEpoch++;
        List<ParamGroup> groups = optimizer.paramGroups();
        int n = Math.min(groups.size(), baseLrs.length);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = computeLr(groups.get(i).lr(), baseLrs[i]);
        }
        for (int i = 0; i < n; i++) {
            groups.get(i).set("lr", values[i]);
        }
        lastLr = new double[groups.size()];
        for (int i = 0; i < lastLr.length; i++) {
            lastLr[i] = groups.get(i).lr();
        }
    }

    /**
     * The new learning rate of one group (PyTorch's chainable {@code get_lr}), called after
     * {@link #lastEpoch()} and {@link #stepCount()} have advanced.
     *
     * @param groupLr the group's current {@code lr}
     * @param baseLr  the group's {@code initial_lr}
     */
    protected abstract double computeLr(double groupLr, double baseLr);

    /** The learning rate of each group as last set by {@link #step()}, like {@code get_last_lr()}. */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The index of the last finished epoch ({@code last_epoch}); 0 right after construction. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** How many times {@link #step()} has run, the constructor's step included ({@code _step_count}). */
    protected int stepCount() {
        return stepCount;
    }

    /** Each group's {@code initial_lr} (a copy). */
    public double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Adds the scheduler's own fields under PyTorch's names (e.g. {@code gamma}). */
    protected abstract void writeState(Map<String, String> values);

    /** Reads back what {@link #writeState} wrote; validate before assigning. */
    protected abstract void readState(StateDict state);

    /**
     * {@code last_epoch}, {@code base_lrs}, {@code _last_lr}, {@code _step_count} and the
     * scheduler's own fields, as exact strings (see {@link StateDict}).
     */
    @Override
    public StateDict stateDict() {
        Map<String, String> v = new LinkedHashMap<>();
        writeState(v);
        v.put("base_lrs", StateValues.encode(baseLrs));
        v.put("last_epoch", Integer.toString(lastEpoch));
        v.put("_step_count", Integer.toString(stepCount));
        v.put("_last_lr", StateValues.encode(lastLr));
        return StateDict.ofValues(v);
    }

    /**
     * Restores {@link #stateDict()}, like {@code load_state_dict}; the optimizer's learning rates are
     * not changed (load the optimizer's own state for those).
     *
     * @throws IllegalArgumentException naming a missing or malformed value
     */
    @Override
    public void loadStateDict(StateDict state) {
        double[] base = StateValues.doubles("base_lrs", state.value("base_lrs"));
        int epoch = StateValues.integer("last_epoch", state.value("last_epoch"));
        int count = StateValues.integer("_step_count", state.value("_step_count"));
        double[] last = StateValues.doubles("_last_lr", state.value("_last_lr"));
        readState(state);
        baseLrs = base;
        lastEpoch = epoch;
        stepCount = count;
        lastLr = last;
    }
}
