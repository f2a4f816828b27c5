package io.github.lstm4j.train;

import java.util.List;

/**
 * The record of a {@link Trainer#fit()} run, one {@link EpochResult} per epoch, with the columns as
 * arrays for plotting. A run resumed from a checkpoint written by the Trainer includes the epochs
 * before the checkpoint.
 */
public final class History {

    /** Why training ended. */
    public enum StopReason {
        /** Every requested epoch ran. */
        COMPLETED,
        /** The monitored loss did not improve for {@code patience} epochs. */
        EARLY_STOPPING,
        /** A {@link Callback#onEpochEnd} asked to stop. */
        CALLBACK
    }

    private final List<EpochResult> epochs;
    private final int bestEpoch;
    private final double bestLoss;
    private final StopReason stopReason;
    private final boolean restoredBestWeights;

    History(List<EpochResult> epochs, int bestEpoch, double bestLoss, StopReason stopReason,
            boolean restoredBestWeights) {
        this.epochs = List.copyOf(epochs);
        this.bestEpoch = bestEpoch;
        this.bestLoss = bestLoss;
        this.stopReason = stopReason;
        this.restoredBestWeights = restoredBestWeights;
    }

    /** Every epoch's result, in order (unmodifiable). */
    public List<EpochResult> epochs() {
        return epochs;
    }

    /** The number of epochs recorded. */
    public int size() {
        return epochs.size();
    }

    /** The training loss of each recorded epoch. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(EpochResult::trainLoss).toArray();
    }

    /** The validation loss of each recorded epoch (NaN without a validation loader). */
    public double[] valLoss() {
        return epochs.stream().mapToDouble(EpochResult::valLoss).toArray();
    }

    /** The learning rate of the first parameter group during each recorded epoch. */
    public double[] lr() {
        return epochs.stream().mapToDouble(EpochResult::lr).toArray();
    }

    /**
     * The index of the epoch with the best monitored loss (validation loss, or training loss
     * without a validation loader), or -1 when no epoch had a finite one.
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored loss, or NaN when {@link #bestEpoch()} is -1. */
    public double bestLoss() {
        return bestLoss;
    }

    /** Why training ended. */
    public StopReason stopReason() {
        return stopReason;
    }

    /** True when training ended before the requested number of epochs (early stopping or a callback). */
    public boolean stoppedEarly() {
        return stopReason != StopReason.COMPLETED;
    }

    /** True when the model was given back the weights of {@link #bestEpoch()} at the end. */
    public boolean restoredBestWeights() {
        return restoredBestWeights;
    }

    @Override
    public String toString() {
        return "History(" + epochs.size() + " epochs, best epoch " + bestEpoch + " with loss " + bestLoss + ", "
            + stopReason + ")";
    }
}
