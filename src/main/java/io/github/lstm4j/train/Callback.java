package io.github.lstm4j.train;

/**
 * Hooks into {@link Trainer#fit()}; every method does nothing by default. Callbacks run on the
 * training thread in the order they were added, and see the model in training mode.
 *
 * <pre>{@code
 * Callback stopBelow = new Callback() {
 *     @Override
 *     public boolean onEpochEnd(EpochResult r) {
 *         return r.trainLoss() < 1e-3;          // true: stop after this epoch
 *     }
 * };
 * }</pre>
 */
public interface Callback {

    /** Called before the first batch of epoch {@code epoch} (0-based). */
    default void onEpochStart(int epoch) {
    }

    /**
     * Called after each optimizer step.
     *
     * @param step the number of optimizer steps taken so far, counting from 1 (resumed runs go on
     *             from the checkpoint's count)
     * @param loss this batch's training loss
     */
    default void onBatchEnd(long step, double loss) {
    }

    /**
     * Called after an epoch's validation, scheduler step and early-stopping bookkeeping, and before
     * its checkpoint is written and its progress logged.
     *
     * @return true to stop training after this epoch (every callback is still called)
     */
    default boolean onEpochEnd(EpochResult result) {
        return false;
    }
}
