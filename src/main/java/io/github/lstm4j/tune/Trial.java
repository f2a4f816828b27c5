package io.github.lstm4j.tune;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One run of the objective: its hyperparameters, its own seed, and a channel to report
 * intermediate validation values so that a {@link Pruner} can stop it early.
 *
 * <p>The seed is derived from the search seed and the trial number only, so a trial gets the same
 * seed whatever thread runs it. The pruner compares this trial with the finished trials the tuner
 * showed it when it started (see {@link Tuner} for which ones), so pruning decisions are
 * reproducible too.
 */
public final class Trial {

    private final int number;
    private final Params params;
    private final long seed;
    private final Direction direction;
    private final Pruner pruner;
    private final List<TrialResult> finished;
    private final TreeMap<Integer, Double> intermediate = new TreeMap<>();
    private boolean pruned;
    private String failure;
    private String pruneReason;

    Trial(int number, Params params, long seed, Direction direction, Pruner pruner, List<TrialResult> finished) {
        this.number = number;
        this.params = params;
        this.seed = seed;
        this.direction = direction;
        this.pruner = pruner;
        this.finished = finished;
    }

    /** The trial's position in the search, from 0. */
    public int number() {
        return number;
    }

    /** The hyperparameters to evaluate. */
    public Params params() {
        return params;
    }

    /** A seed for all of the trial's randomness (weight init, shuffling, dropout). */
    public long seed() {
        return seed;
    }

    /**
     * Records the validation value after {@code epoch} and asks the pruner whether to stop.
     * A NaN or infinite value marks the trial failed and also answers "stop".
     *
     * @return true when the trial should stop; the trial is then recorded as PRUNED (or FAILED for
     *     a non-finite value) whatever the objective returns
     * @throws IllegalArgumentException if {@code epoch} was already reported
     */
    public synchronized boolean report(int epoch, double value) {
        if (intermediate.containsKey(epoch)) {
            throw new IllegalArgumentException("trial " + number + ": epoch " + epoch + " was already reported");
        }
        intermediate.put(epoch, value);
        if (!Double.isFinite(value)) {
            failure = "reported " + value + " at epoch " + epoch;
            return true;
        }
        SortedMap<Integer, Double> upToNow = Collections.unmodifiableSortedMap(intermediate.headMap(epoch, true));
        if (!pruned && pruner.shouldPrune(direction, finished, upToNow)) {
            pruned = true;
            pruneReason = String.format(Locale.ROOT, "pruned at epoch %d (value %.6g)", epoch, value);
        }
        return pruned || failure != null;
    }

    /**
     * {@link #report} and throw {@link TrialPruned} when the trial should stop.
     *
     * @throws TrialPruned when the pruner says stop or the value is not finite
     */
    public void reportOrPrune(int epoch, double value) {
        if (report(epoch, value)) {
            throw new TrialPruned(failure != null ? failure : pruneReason);
        }
    }

    /** The values reported so far, by epoch. */
    public synchronized SortedMap<Integer, Double> intermediateValues() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(intermediate));
    }

    synchronized boolean wasPruned() {
        return pruned;
    }

    synchronized String failure() {
        return failure;
    }

    synchronized String pruneReason() {
        return pruneReason;
    }

    synchronized double lastValue() {
        return intermediate.isEmpty() ? Double.NaN : intermediate.lastEntry().getValue();
    }
}
