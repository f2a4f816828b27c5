package io.github.lstm4j.tune;

/** How a trial ended. */
public enum TrialState {
    /** The objective returned a finite score. */
    COMPLETE,
    /** A pruner stopped the trial early; its score is its last reported intermediate value. */
    PRUNED,
    /** The objective threw, returned NaN or infinity, or reported a NaN or infinite value. */
    FAILED
}
