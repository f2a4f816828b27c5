package io.github.lstm4j.tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a hyperparameter search: proposes trials with a {@link SearchStrategy}, evaluates the
 * {@link Objective} on a pool of threads, prunes with a {@link Pruner}, and collects a
 * {@link TuningResult}.
 *
 * <pre>{@code
 * TuningResult result = new Tuner(space)
 *     .strategy(new BayesianSearch())
 *     .trials(40)
 *     .threads(2)
 *     .seed(7)
 *     .pruner(new MedianPruner())
 *     .run(objective);
 * Params best = result.bestParams();
 * }</pre>
 *
 * <h2>Reproducibility</h2>
 * Trial {@code n} gets its proposal generator and its {@link Trial#seed()} from the search seed
 * and {@code n} alone. When the strategy or the pruner looks at earlier results, trial {@code n}
 * is shown exactly the trials numbered {@code 0 .. n - threads}, and the tuner waits for those to
 * finish before proposing it. With one thread that is every earlier trial (a plain sequential
 * search); with {@code k} threads the model lags by {@code k - 1} trials, whichever of them
 * happens to finish first. The same seed and thread count therefore give the same proposals, the
 * same pruning decisions and the same scores (if the objective is deterministic given its seed),
 * at the price of a thread idling while an older trial is still running. Random and grid search
 * without a pruner do not wait.
 *
 * <p>A trial that throws, returns NaN or infinity, or reports a non-finite value is recorded as
 * {@link TrialState#FAILED} and logged as a warning; the search goes on.
 */
public final class Tuner {

    private static final Logger log = LoggerFactory.getLogger(Tuner.class);

    private final SearchSpace space;
    private SearchStrategy strategy = new RandomSearch();
    private Pruner pruner = Pruner.NONE;
    private Direction direction = Direction.MINIMIZE;
    private long trials = -1;
    private int threads = Runtime.getRuntime().availableProcessors();
    private long seed;

    /** A tuner over {@code space}: random search, minimising, no pruning, seed 0, one thread per processor. */
    public Tuner(SearchSpace space) {
        if (space == null || space.size() == 0) {
            throw new IllegalArgumentException("Tuner needs a search space with at least one parameter");
        }
        this.space = space;
    }

    /** How trials are proposed (default {@link RandomSearch}). */
    public Tuner strategy(SearchStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** How trials are stopped early (default {@link Pruner#NONE}). */
    public Tuner pruner(Pruner pruner) {
        this.pruner = Objects.requireNonNull(pruner, "pruner");
        return this;
    }

    /** Whether to minimise (default) or maximise the score. */
    public Tuner direction(Direction direction) {
        this.direction = Objects.requireNonNull(direction, "direction");
        return this;
    }

    /** Shorthand for {@code direction(Direction.MAXIMIZE)}. */
    public Tuner maximize() {
        return direction(Direction.MAXIMIZE);
    }

    /** The number of trials (>= 1); required unless the strategy is a grid, which defaults to all of it. */
    public Tuner trials(int trials) {
        if (trials < 1) {
            throw new IllegalArgumentException("Tuner: trials must be >= 1, got " + trials);
        }
        this.trials = trials;
        return this;
    }

    /** Trials run at once (>= 1; default the available processors). */
    public Tuner threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Tuner: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** The search seed (default 0). */
    public Tuner seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Runs the search and logs its table.
     *
     * @throws IllegalArgumentException if the strategy cannot search the space, or no trial count was set
     * @throws IllegalStateException if interrupted
     */
    public TuningResult run(Objective objective) {
        Objects.requireNonNull(objective, "objective");
        strategy.check(space);
        long max = strategy.maxTrials(space);
        if (trials < 0 && max == Long.MAX_VALUE) {
            throw new IllegalArgumentException("Tuner: set trials(n) for " + strategy);
        }
        int total = (int) Math.min(Integer.MAX_VALUE, trials < 0 ? max : Math.min(trials, max));
        boolean waits = strategy.usesHistory() || pruner != Pruner.NONE;
        log.info("tuning {} parameters {} with {} for {} trials on {} threads, seed {}{}", space.size(), space.names(),
            strategy, total, threads, seed, pruner == Pruner.NONE ? "" : ", " + pruner);

        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tune-" + threadCount.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        TrialResult[] done = new TrialResult[total];
        List<Future<TrialResult>> futures = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int n = 0; n < total; n++) {
                List<TrialResult> visible = List.of();
                if (waits) {
                    int upTo = n - threads;
                    for (int i = 0; i <= upTo; i++) {
                        if (done[i] == null) {
                            done[i] = await(futures.get(i));
                        }
                    }
                    visible = upTo < 0 ? List.of() : List.of(Arrays.copyOf(done, upTo + 1));
                }
                SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, n, Seeds.PROPOSAL));
                Params proposed = strategy.propose(new SearchStrategy.Context(n, space, visible, direction, rng));
                if (proposed == null) {
                    break;
                }
                Params params = space.params(proposed.asMap());
                Trial trial = new Trial(n, params, Seeds.derive(seed, n, Seeds.TRIAL), direction, pruner, visible);
                futures.add(pool.submit(() -> evaluate(objective, trial)));
            }
            List<TrialResult> all = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                all.add(done[i] != null ? done[i] : await(futures.get(i)));
            }
            TuningResult result = new TuningResult(space, direction, all, Duration.ofNanos(System.nanoTime() - start));
            log.info("{}", result.summary());
            log.info("trials:\n{}", result.table());
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static TrialResult await(Future<TrialResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tuning interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("trial evaluation broke down", cause);
        }
    }

    private static TrialResult evaluate(Objective objective, Trial trial) {
        long t0 = System.nanoTime();
        TrialState state;
        double score = Double.NaN;
        String error = null;
        try {
            double value = objective.evaluate(trial);
            if (trial.failure() != null) {
                state = TrialState.FAILED;
                error = trial.failure();
            } else if (trial.wasPruned()) {
                state = TrialState.PRUNED;
                score = trial.lastValue();
                error = trial.pruneReason();
            } else if (!Double.isFinite(value)) {
                state = TrialState.FAILED;
                error = "objective returned " + value;
            } else {
                state = TrialState.COMPLETE;
                score = value;
            }
        } catch (TrialPruned p) {
            if (trial.failure() != null) {
                state = TrialState.FAILED;
                error = trial.failure();
            } else {
                state = TrialState.PRUNED;
                score = trial.lastValue();
                error = p.getMessage();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state = TrialState.FAILED;
            error = "interrupted";
        } catch (Exception e) {
            state = TrialState.FAILED;
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (state == TrialState.FAILED) {
            log.warn("trial {} FAILED after {} ms with {}: {}", trial.number(), took.toMillis(), trial.params(), error);
        } else {
            log.debug(String.format(Locale.ROOT, "trial %d %s score %.6g in %d ms with %s", trial.number(), state, score,
                took.toMillis(), trial.params()));
        }
        return new TrialResult(trial.number(), trial.params(), trial.seed(), state, score, took,
            trial.intermediateValues(), error);
    }
}
