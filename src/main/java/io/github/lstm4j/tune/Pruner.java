package io.github.lstm4j.tune;

import java.util.List;
import java.util.SortedMap;

/**
 * Decides, from the values a trial has reported so far and the trials finished before it,
 * whether to stop the trial. Implementations: {@link MedianPruner}, {@link SuccessiveHalvingPruner}.
 * Called from the trial's thread; must be stateless or thread-safe.
 */
@FunctionalInterface
public interface Pruner {

    /** Never prunes. */
    Pruner NONE = (direction, finished, reported) -> false;

    /**
     * @param direction whether lower or higher values are better
     * @param finished the finished trials this trial may compare itself with, ordered by number
     * @param reported this trial's values so far, by epoch, all finite; the last is the one just
     *     reported
     * @return true to stop the trial
     */
    boolean shouldPrune(Direction direction, List<TrialResult> finished, SortedMap<Integer, Double> reported);
}
