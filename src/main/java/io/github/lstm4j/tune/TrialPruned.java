package io.github.lstm4j.tune;

/**
 * Thrown by {@link Trial#reportOrPrune} (or by the objective itself) to stop an unpromising trial;
 * the tuner records the trial as {@link TrialState#PRUNED}. A control-flow signal, so it carries no
 * stack trace.
 */
public final class TrialPruned extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A signal with a message, e.g. why the trial was stopped. */
    public TrialPruned(String message) {
        super(message, null, false, false);
    }
}
