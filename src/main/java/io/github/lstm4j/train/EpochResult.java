package io.github.lstm4j.train;

/**
 * What one epoch of {@link Trainer#fit()} measured.
 *
 * @param epoch     the epoch's index, from 0
 * @param trainLoss the mean training loss over the epoch's samples: each batch's loss weighted by
 *                  its number of samples (for a mean-reduced loss, the mean over all samples)
 * @param valLoss   the validation loss after the epoch, averaged the same way, in eval mode; NaN
 *                  when there is no validation loader
 * @param lr        the learning rate of the optimizer's first parameter group during the epoch
 *                  (before the scheduler stepped at its end)
 * @param step      optimizer steps taken since the start of training, after this epoch
 * @param batches   batches in this epoch
 * @param seconds   wall-clock time of the epoch, validation included
 * @param improved  whether the monitored loss (validation loss, or training loss without a
 *                  validation loader) improved on the best by more than {@code minDelta}
 */
public record EpochResult(int epoch, double trainLoss, double valLoss, double lr, long step, int batches,
                          double seconds, boolean improved) {
}
