package io.github.lstm4j.tune;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The median stopping rule of Google Vizier (Golovin et al., KDD 2017): stop a trial at epoch
 * {@code e} if the best value it has reported up to {@code e} is worse than the median, over the
 * completed trials, of the running average of the values each reported up to {@code e}.
 *
 * <p>Comparing with running averages rather than with the completed trials' values at {@code e}
 * matters: completed trials are the survivors of earlier pruning, so the median of their values
 * at {@code e} drifts towards the best trials and would stop nearly everything. Does nothing
 * before {@code warmupEpochs}, or while fewer than {@code startupTrials} completed trials reported
 * at or before {@code e}.
 */
public final class MedianPruner implements Pruner {

    private final int startupTrials;
    private final int warmupEpochs;

    /** Startup 5 trials, warm-up 1 epoch. */
    public MedianPruner() {
        this(5, 1);
    }

    /**
     * @param startupTrials completed trials needed before pruning (>= 1)
     * @param warmupEpochs epochs below which no trial is pruned (>= 0)
     */
    public MedianPruner(int startupTrials, int warmupEpochs) {
        if (startupTrials < 1) {
            throw new IllegalArgumentException("MedianPruner: startupTrials must be >= 1, got " + startupTrials);
        }
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("MedianPruner: warmupEpochs must be >= 0, got " + warmupEpochs);
        }
        this.startupTrials = startupTrials;
        this.warmupEpochs = warmupEpochs;
    }

    @Override
    public boolean shouldPrune(Direction direction, List<TrialResult> finished, SortedMap<Integer, Double> reported) {
        int epoch = reported.lastKey();
        if (epoch < warmupEpochs) {
            return false;
        }
        double best = Double.NaN;
        for (double v : reported.values()) {
            if (Double.isNaN(best) || direction.isBetter(v, best)) {
                best = v;
            }
        }
        double[] averages = finished.stream()
            .filter(TrialResult::isComplete)
            .mapToDouble(t -> runningAverage(t.intermediateValues(), epoch))
            .filter(Double::isFinite)
            .sorted()
            .toArray();
        if (averages.length < startupTrials) {
            return false;
        }
        return direction.isBetter(median(averages), best);
    }

    /** The mean of the values reported at epochs up to {@code epoch}, or NaN if none. */
    static double runningAverage(SortedMap<Integer, Double> values, int epoch) {
        double sum = 0;
        int n = 0;
        for (Map.Entry<Integer, Double> e : (epoch == Integer.MAX_VALUE ? values : values.headMap(epoch + 1)).entrySet()) {
            sum += e.getValue();
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    @Override
    public String toString() {
        return "MedianPruner(startupTrials=" + startupTrials + ", warmupEpochs=" + warmupEpochs + ")";
    }
}
