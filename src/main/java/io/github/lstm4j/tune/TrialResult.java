package io.github.lstm4j.tune;

import java.time.Duration;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A finished trial.
 *
 * @param number the trial's position in the search, from 0
 * @param params its hyperparameters
 * @param seed the seed it was given ({@link Trial#seed()})
 * @param state how it ended
 * @param score the objective's value if {@code COMPLETE}, the last reported value if {@code PRUNED}
 *     (NaN if none), NaN if {@code FAILED}
 * @param duration wall-clock time of the objective call
 * @param intermediateValues the values it reported, by epoch
 * @param error why it failed or was pruned, or {@code null}
 */
public record TrialResult(int number, Params params, long seed, TrialState state, double score, Duration duration,
                          SortedMap<Integer, Double> intermediateValues, String error) {

    public TrialResult {
        intermediateValues = Collections.unmodifiableSortedMap(new TreeMap<>(intermediateValues));
    }

    /** True for a trial that completed with a score. */
    public boolean isComplete() {
        return state == TrialState.COMPLETE;
    }

    /** The value reported at {@code epoch}, or NaN if none was. */
    public double intermediateValue(int epoch) {
        Double v = intermediateValues.get(epoch);
        return v == null ? Double.NaN : v;
    }
}
