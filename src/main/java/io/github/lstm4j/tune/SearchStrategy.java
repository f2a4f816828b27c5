package io.github.lstm4j.tune;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Proposes the hyperparameters of each trial: {@link GridSearch}, {@link RandomSearch},
 * {@link BayesianSearch}. Proposals are made one at a time on the tuner's thread, in trial order.
 */
public interface SearchStrategy {

    /**
     * What a strategy may use to propose trial {@code trialNumber}.
     *
     * @param trialNumber the trial to propose, from 0
     * @param space the search space
     * @param history the finished trials the tuner shows this proposal, ordered by number (see
     *     {@link Tuner} for which); empty unless {@link #usesHistory()}
     * @param direction whether lower or higher scores are better
     * @param rng a generator seeded from the search seed and the trial number only
     */
    record Context(int trialNumber, SearchSpace space, List<TrialResult> history, Direction direction,
                   SplittableRandom rng) {
    }

    /** The parameters of the next trial, or {@code null} when the strategy has nothing left to propose. */
    Params propose(Context context);

    /** Rejects a space the strategy cannot search, with a message naming the parameter; called once before the search. */
    default void check(SearchSpace space) {
    }

    /** How many trials the strategy can propose at most (a grid's size); unbounded by default. */
    default long maxTrials(SearchSpace space) {
        return Long.MAX_VALUE;
    }

    /** True when proposals depend on earlier results; the tuner then waits for them (see {@link Tuner}). */
    default boolean usesHistory() {
        return false;
    }
}
