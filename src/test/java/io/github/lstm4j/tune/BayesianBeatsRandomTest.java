package io.github.lstm4j.tune;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TPE must earn its place: with the same budget (40 trials, the first 10 random and identical in
 * both searches, since TPE's startup draws exactly what random search draws) it must find better
 * points than random search on known functions, on 20 seeds.
 *
 * <p>Why the margin cannot pass by luck: under the null hypothesis that TPE is no better than
 * random search, each seed is a coin flip, and P(at least 16 wins of 20) = 0.0059 (one-sided sign
 * test; ties count as losses). The test also demands that TPE's mean regret be under half of
 * random search's, so that a consistent but negligible edge does not pass either.
 */
class BayesianBeatsRandomTest {

    private static final Logger log = LoggerFactory.getLogger(BayesianBeatsRandomTest.class);
    private static final int SEEDS = 20;
    private static final int BUDGET = 40;
    private static final int MIN_WINS = 16;

    /** Branin-Hoo on [-5, 10] x [0, 15]; three global minima of 0.397887. */
    static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    /** The noise-free 4-D quadratic: two linear dimensions, a log-scaled one and an integer one; minimum 0. */
    static double quadratic(Params p) {
        double x = p.getDouble("x") - 1.2;
        double y = p.getDouble("y") + 0.7;
        double lr = Math.log10(p.getDouble("lr")) + 3;
        double k = (p.getInt("k") - 12) / 4.0;
        return x * x + y * y + lr * lr + k * k;
    }

    @Test
    void tpeFindsLowerBraninThanRandomSearch() {
        SearchSpace space = new SearchSpace().uniform("x1", -5, 10).uniform("x2", 0, 15);
        compare("Branin", space, trial -> branin(trial.params().getDouble("x1"), trial.params().getDouble("x2")),
            p -> branin(p.getDouble("x1"), p.getDouble("x2")) - 0.397887);
    }

    @Test
    void tpeFindsLowerNoisyQuadraticThanRandomSearch() {
        SearchSpace space = new SearchSpace().uniform("x", -5, 5).uniform("y", -5, 5)
            .logUniform("lr", 1e-5, 1e-1).intRange("k", 1, 32);
        // noise sd 0.5 per evaluation, drawn from the trial's own seed; the regret is the true
        // (noise-free) value of the point each search picked as its best
        compare("noisy quadratic 4-D", space,
            trial -> quadratic(trial.params()) + 0.5 * gaussian(new SplittableRandom(trial.seed())),
            BayesianBeatsRandomTest::quadratic);
    }

    private static void compare(String name, SearchSpace space, Objective objective,
                                java.util.function.ToDoubleFunction<Params> regret) {
        int wins = 0;
        double sumTpe = 0;
        double sumRandom = 0;
        StringBuilder detail = new StringBuilder();
        for (int seed = 0; seed < SEEDS; seed++) {
            double r = regret.applyAsDouble(search(space, new RandomSearch(), seed, objective).bestParams());
            double b = regret.applyAsDouble(search(space, new BayesianSearch().startupTrials(10), seed, objective).bestParams());
            if (b < r) {
                wins++;
            }
            sumTpe += b;
            sumRandom += r;
            detail.append(String.format(Locale.ROOT, " %.3f/%.3f", b, r));
        }
        double meanTpe = sumTpe / SEEDS;
        double meanRandom = sumRandom / SEEDS;
        log.info(String.format(Locale.ROOT, "%s: TPE better on %d of %d seeds; mean regret TPE %.4f, random %.4f;"
            + " per seed (tpe/random):%s", name, wins, SEEDS, meanTpe, meanRandom, detail));
        assertTrue(wins >= MIN_WINS, name + ": TPE better on only " + wins + " of " + SEEDS + " seeds");
        assertTrue(meanTpe < 0.5 * meanRandom, String.format(Locale.ROOT,
            "%s: mean regret TPE %.4f is not under half of random's %.4f", name, meanTpe, meanRandom));
    }

    private static TuningResult search(SearchSpace space, SearchStrategy strategy, long seed, Objective objective) {
        return new Tuner(space).strategy(strategy).trials(BUDGET).threads(1).seed(seed).run(objective);
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
