package io.github.lstm4j.train;

/**
 * Tracks the best monitored loss and counts epochs without improvement, as Keras's
 * {@code EarlyStopping(monitor, min_delta, patience)} does:
 * <pre>
 * update(loss):  if loss &lt; best - minDelta: best = loss; bestEpoch = epoch; bad = 0   (improved)
 *                else bad += 1                                                    (NaN never improves)
 * shouldStop() = bad &gt;= patience
 * </pre>
 */
final class EarlyStopping {

    /** Patience that never stops. */
    static final int NEVER = Integer.MAX_VALUE;

    final int patience;
    final double minDelta;
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    int badEpochs;

    EarlyStopping(int patience, double minDelta) {
        check(patience, minDelta);
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException for {@code patience < 1}, or a negative, NaN or infinite {@code minDelta}
     */
    static void check(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early stopping minDelta must be finite and >= 0, got " + minDelta);
        }
    }

    /** Records epoch {@code epoch}'s loss; returns whether it improved on the best. */
    boolean update(int epoch, double loss) {
        if (loss < best - minDelta) {
            best = loss;
            bestEpoch = epoch;
            badEpochs = 0;
            return true;
        }
        badEpochs++;
        return false;
    }

    /** True once {@code patience} epochs in a row did not improve. */
    boolean shouldStop() {
        return badEpochs >= patience;
    }

    /** The best loss, or NaN before any improvement. */
    double bestLoss() {
        return bestEpoch < 0 ? Double.NaN : best;
    }
}
