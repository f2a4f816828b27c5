package io.github.lstm4j.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Sequential model-based optimisation with a tree-structured Parzen estimator (TPE; Bergstra,
 * Bardenet, Bengio and Kégl, "Algorithms for Hyper-Parameter Optimization", NeurIPS 2011).
 *
 * <p>The first {@code startupTrials} trials are random, drawn exactly as {@link RandomSearch} would
 * draw them. After that, each proposal:
 * <ol>
 *   <li>ranks the completed trials it can see by score and splits them at the quantile
 *       {@code gamma}: the best {@code ceil(gamma * n)} (at most 25) are "good", the rest, together
 *       with every pruned trial, are "bad";</li>
 *   <li>fits a Parzen density {@code l(x)} to the good parameters and {@code g(x)} to the bad ones
 *       ({@link ParzenEstimator}: truncated Gaussians in each numeric dimension, in log space for
 *       log-scaled ones, and smoothed frequencies for choices);</li>
 *   <li>draws {@code candidates} points from {@code l} and proposes the one maximising
 *       {@code l(x) / g(x)}, which is the candidate with the largest expected improvement under the
 *       TPE model.</li>
 * </ol>
 * Failed trials are ignored. All randomness comes from the proposal's own generator, so a proposal
 * depends only on the seed, the trial number and the trials it is shown.
 */
public final class BayesianSearch implements SearchStrategy {

    private int startupTrials = 10;
    private int candidates = 24;
    private double gamma = 0.25;

    /** TPE with 10 random startup trials, 24 candidates per proposal, gamma 0.25. */
    public BayesianSearch() {
    }

    /** Random trials before the model is used (>= 1; default 10). */
    public BayesianSearch startupTrials(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("BayesianSearch: startupTrials must be >= 1, got " + n);
        }
        this.startupTrials = n;
        return this;
    }

    /** Points drawn from l(x) per proposal (>= 1; default 24). */
    public BayesianSearch candidates(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("BayesianSearch: candidates must be >= 1, got " + n);
        }
        this.candidates = n;
        return this;
    }

    /** The fraction of completed trials modelled as good (in (0, 1); default 0.25). */
    public BayesianSearch gamma(double gamma) {
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("BayesianSearch: gamma must be in (0, 1), got " + gamma);
        }
        this.gamma = gamma;
        return this;
    }

    @Override
    public boolean usesHistory() {
        return true;
    }

    @Override
    public Params propose(Context context) {
        SearchSpace space = context.space();
        if (context.trialNumber() < startupTrials) {
            return space.sample(context.rng());
        }
        Direction dir = context.direction();
        List<TrialResult> complete = new ArrayList<>();
        List<TrialResult> pruned = new ArrayList<>();
        for (TrialResult t : context.history()) {
            if (t.isComplete()) {
                complete.add(t);
            } else if (t.state() == TrialState.PRUNED) {
                pruned.add(t);
            }
        }
        ParzenEstimator.Encoding enc = new ParzenEstimator.Encoding(space);
        if (complete.size() < 2 || enc.size() == 0) {
            return space.sample(context.rng());
        }
        complete.sort(Comparator.<TrialResult>comparingDouble(t -> dir.asLoss(t.score())).thenComparingInt(TrialResult::number));
        int nGood = Math.min(25, Math.max(1, (int) Math.ceil(gamma * complete.size())));
        List<double[]> good = new ArrayList<>();
        List<double[]> bad = new ArrayList<>();
        for (int i = 0; i < complete.size(); i++) {
            (i < nGood ? good : bad).add(enc.encode(complete.get(i).params()));
        }
        for (TrialResult t : pruned) {
            bad.add(enc.encode(t.params()));
        }
        ParzenEstimator l = new ParzenEstimator(enc, good);
        ParzenEstimator g = new ParzenEstimator(enc, bad);
        double[] best = null;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < candidates; c++) {
            double[] x = l.sample(context.rng());
            double ratio = l.logDensity(x) - g.logDensity(x);
            if (best == null || ratio > bestRatio) {
                best = x;
                bestRatio = ratio;
            }
        }
        return enc.decode(best);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BayesianSearch(TPE, startupTrials=%d, candidates=%d, gamma=%s)",
            startupTrials, candidates, gamma);
    }
}
