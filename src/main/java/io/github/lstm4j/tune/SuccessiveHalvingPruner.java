package io.github.lstm4j.tune;

import java.util.List;
import java.util.SortedMap;

/**
 * Asynchronous successive halving (Jamieson and Talwalkar 2016; Li et al. 2018): rungs at epochs
 * {@code minEpochs * eta^k}. A trial reaching a rung survives only if its value there ranks in the
 * best {@code max(1, floor(n / eta))} of the {@code n} values reported at that rung by the finished
 * trials it can see (complete or pruned) and itself. Between rungs it is never stopped. Rungs with
 * fewer than {@code minTrials} earlier values do not prune.
 */
public final class SuccessiveHalvingPruner implements Pruner {

    private final int minEpochs;
    private final int eta;
    private final int minTrials;

    /** Rungs at 1, 3, 9, 27... epochs; at least 3 earlier values per rung. */
    public SuccessiveHalvingPruner() {
        this(1, 3, 3);
    }

    /**
     * @param minEpochs the first rung (>= 1)
     * @param eta the reduction factor (>= 2): a rung keeps 1/eta of its trials
     * @param minTrials earlier values a rung needs before it prunes (>= 1)
     */
    public SuccessiveHalvingPruner(int minEpochs, int eta, int minTrials) {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("SuccessiveHalvingPruner: minEpochs must be >= 1, got " + minEpochs);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("SuccessiveHalvingPruner: eta must be >= 2, got " + eta);
        }
        if (minTrials < 1) {
            throw new IllegalArgumentException("SuccessiveHalvingPruner: minTrials must be >= 1, got " + minTrials);
        }
        this.minEpochs = minEpochs;
        this.eta = eta;
        this.minTrials = minTrials;
    }

    /** True when {@code epoch} is a rung. */
    boolean isRung(int epoch) {
        long r = minEpochs;
        while (r < epoch) {
            r *= eta;
        }
        return r == epoch;
    }

    @Override
    public boolean shouldPrune(Direction direction, List<TrialResult> finished, SortedMap<Integer, Double> reported) {
        int epoch = reported.lastKey();
        double value = reported.get(epoch);
        if (!isRung(epoch)) {
            return false;
        }
        int earlier = 0;
        int better = 0;
        for (TrialResult t : finished) {
            double v = t.intermediateValue(epoch);
            if (t.state() != TrialState.FAILED && Double.isFinite(v)) {
                earlier++;
                if (direction.isBetter(v, value)) {
                    better++;
                }
            }
        }
        if (earlier < minTrials) {
            return false;
        }
        int keep = Math.max(1, (earlier + 1) / eta);
        return better >= keep;
    }

    @Override
    public String toString() {
        return "SuccessiveHalvingPruner(minEpochs=" + minEpochs + ", eta=" + eta + ", minTrials=" + minTrials + ")";
    }
}
