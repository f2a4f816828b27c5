package io.github.lstm4j.examples;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.data.Csv;
import io.github.lstm4j.nn.Dropout;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.tune.BayesianSearch;
import io.github.lstm4j.tune.MedianPruner;
import io.github.lstm4j.tune.Params;
import io.github.lstm4j.tune.RandomSearch;
import io.github.lstm4j.tune.SearchSpace;
import io.github.lstm4j.tune.SearchStrategy;
import io.github.lstm4j.tune.Trial;
import io.github.lstm4j.tune.TrialState;
import io.github.lstm4j.tune.Tuner;
import io.github.lstm4j.tune.TuningResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Tunes an LSTM sunspot forecaster with {@link Tuner} and scores the chosen configuration on
 * Zhang's (2003) test years.
 *
 * <p>Protocol: the yearly sunspot numbers of 1700-1920 are the only data the search sees. Inside
 * them, 1886-1920 (35 years; {@code --val-from} moves its start) is the validation split: each
 * trial trains on targets 1700-1885,
 * scaled to [0, 1] with a min-max scaler fitted on those years, and is scored by its one-step-ahead
 * MSE on 1886-1920 (inputs are the true previous years). The chosen configuration is then retrained
 * on all of 1700-1920 with the same seed, and its one-step-ahead MSE on 1921-1987 (67 forecasts from
 * true history, in sunspot units squared) is reported; Zhang's ANN scored 205.3, his hybrid 186.8.
 *
 * <p>The search: window, hidden size, layers, learning rate, dropout (between LSTM layers and on
 * the last hidden state) and epochs, with TPE (10 random trials first) and median pruning on the
 * validation MSE reported every 10 epochs.
 *
 * <pre>examples/run TuneSunspots [--trials N] [--threads T] [--seed S] [--strategy tpe|random]
 *     [--val-from YEAR] [--out DIR] [--quick]</pre>
 * Writes {@code trials.csv} and {@code tune-sunspots.png} into {@code --out} (default
 * {@code target/examples/tune-sunspots}); the last line is a JSON object with the best parameters,
 * the validation score, the test MSE and, for reference, the test MSE of the PyTorch tutorial's
 * settings (window 10, hidden 50, 2 layers, lr 1e-3, no dropout, 120 epochs) trained the same way.
 * The trial table goes to the log (SLF4J).
 */
public final class TuneSunspots {

    private static final int FIRST_YEAR = 1700;
    private static final int DEFAULT_VAL_FIRST = 1886;
    private static final int TRAIN_LAST = 1920;
    private static final int TEST_LAST = 1987;
    private static final int BATCH = 32;
    private static final int REPORT_EVERY = 10;

    private TuneSunspots() {
    }

    /** An LSTM over the last {@code window} years, dropout on its last hidden state, and a linear head. */
    static final class Forecaster extends Module implements Forward {
        private final LSTM lstm;
        private final Dropout drop;
        private final Linear fc;

        Forecaster(int hiddenSize, int layers, double dropout, Generator gen) {
            lstm = registerModule("lstm", LSTM.builder(1, hiddenSize).numLayers(layers).batchFirst(true)
                .dropout(layers > 1 ? dropout : 0).generator(gen).build());
            drop = registerModule("drop", new Dropout(dropout, gen));
            fc = registerModule("fc", new Linear(hiddenSize, 1, true, gen));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = lstm.forward(x).output();
            return fc.forward(drop.forward(out.select(1, -1)));
        }
    }

    /** One-step-ahead pairs for the target years accepted by {@code years}: inputs (n, window, 1), targets (n, 1). */
    private static Tensor[] windows(float[] scaled, int window, IntPredicate years) {
        int n = 0;
        for (int t = window; t < scaled.length; t++) {
            if (years.test(FIRST_YEAR + t)) {
                n++;
            }
        }
        float[] x = new float[n * window];
        float[] y = new float[n];
        int i = 0;
        for (int t = window; t < scaled.length; t++) {
            if (years.test(FIRST_YEAR + t)) {
                System.arraycopy(scaled, t - window, x, i * window, window);
                y[i++] = scaled[t];
            }
        }
        return new Tensor[] {Tensor.of(x, n, window, 1), Tensor.of(y, n, 1)};
    }

    /** A model trained on targets up to {@code fitLast}, with a per-epoch hook on the evaluation MSE. */
    static final class Run {
        final float[] raw;
        final float min;
        final float max;
        final Forecaster model;
        final Tensor[] train;
        final Tensor[] eval;
        final Generator gen;

        Run(float[] raw, Params p, long seed, int fitLast, int evalFirst, int evalLast) {
            this.raw = raw;
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int t = 0; FIRST_YEAR + t <= fitLast; t++) {
                lo = Math.min(lo, raw[t]);
                hi = Math.max(hi, raw[t]);
            }
            min = lo;
            max = hi;
            float[] scaled = new float[raw.length];
            for (int t = 0; t < raw.length; t++) {
                scaled[t] = (raw[t] - min) / (max - min);
            }
            int window = p.getInt("window");
            train = windows(scaled, window, year -> year <= fitLast);
            eval = windows(scaled, window, year -> year >= evalFirst && year <= evalLast);
            gen = new Generator(seed);
            model = new Forecaster(p.getInt("hiddenSize"), p.getInt("layers"), p.getDouble("dropout"), gen);
        }

        /** Trains for {@code epochs}; after every {@link #REPORT_EVERY} epochs hands the evaluation MSE to {@code onEval}. */
        double fit(Params p, int epochs, java.util.function.ObjIntConsumer<Double> onEval) {
            Optimizer opt = new Adam(model.parameters(), p.getDouble("lr"));
            MSELoss loss = new MSELoss();
            int n = train[0].size(0);
            int window = train[0].size(1);
            float[] xs = train[0].data();
            float[] ys = train[1].data();
            double mse = Double.NaN;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                model.train();
                int[] perm = gen.permutation(n);
                for (int start = 0; start < n; start += BATCH) {
                    int b = Math.min(BATCH, n - start);
                    float[] bx = new float[b * window];
                    float[] by = new float[b];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(xs, perm[start + i] * window, bx, i * window, window);
                        by[i] = ys[perm[start + i]];
                    }
                    opt.zeroGrad();
                    Tensor l = loss.forward(model.forward(Tensor.of(bx, b, window, 1)), Tensor.of(by, b, 1));
                    l.backward();
                    opt.step();
                }
                if (epoch % REPORT_EVERY == 0 || epoch == epochs) {
                    mse = evalMse();
                    onEval.accept(mse, epoch);
                }
            }
            return mse;
        }

        /** One-step-ahead MSE on the evaluation years, in sunspot units squared. */
        double evalMse() {
            model.eval();
            float[] pred;
            try (NoGrad ignored = Tensor.noGrad()) {
                pred = model.forward(eval[0]).data();
            }
            float[] target = eval[1].data();
            double sum = 0;
            double range = max - min;
            for (int i = 0; i < pred.length; i++) {
                double e = (pred[i] - target[i]) * range;
                sum += e * e;
            }
            return sum / pred.length;
        }
    }

    public static void main(String[] args) {
        int trials = 30;
        int threads = Runtime.getRuntime().availableProcessors();
        long seed = 0;
        String strategyName = "tpe";
        Path out = Path.of("target/examples/tune-sunspots");
        boolean quick = false;
        int valFirst = DEFAULT_VAL_FIRST;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--strategy" -> strategyName = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--val-from" -> valFirst = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                    + " (expected --trials N, --threads T, --seed S, --strategy tpe|random, --val-from YEAR, --out DIR, --quick)");
            }
        }
        if (valFirst <= FIRST_YEAR + 40 || valFirst > TRAIN_LAST - 10) {
            throw new IllegalArgumentException("--val-from must be in " + (FIRST_YEAR + 41) + ".." + (TRAIN_LAST - 10)
                + " (the validation years lie inside the training years), got " + valFirst);
        }
        if (quick && trials == 30) {
            // a smoke test: 4 trials of tiny models for 2-3 epochs
            trials = 4;
        }
        float[] raw = loadSunspots();

        SearchSpace space = new SearchSpace()
            .intRange("window", 4, quick ? 8 : 20)
            .choice("hiddenSize", quick ? new Object[] {8, 16} : new Object[] {16, 32, 50, 64})
            .intRange("layers", 1, 2)
            .logUniform("lr", 3e-4, 3e-2)
            .uniform("dropout", 0, 0.4);
        if (quick) {
            space.choice("epochs", 2, 3);
        } else {
            space.choice("epochs", 40, 80, 120, 160);
        }
        SearchStrategy strategy = switch (strategyName) {
            case "tpe" -> new BayesianSearch().startupTrials(quick ? 2 : 10);
            case "random" -> new RandomSearch();
            default -> throw new IllegalArgumentException("--strategy must be tpe or random, got " + strategyName);
        };

        final int valFrom = valFirst;
        long t0 = System.nanoTime();
        TuningResult result = new Tuner(space)
            .strategy(strategy)
            .pruner(new MedianPruner(5, 20))
            .trials(trials)
            .threads(threads)
            .seed(seed)
            .run(trial -> validationMse(raw, trial, valFrom));
        double tuneSeconds = (System.nanoTime() - t0) / 1e9;

        Params best = result.bestParams();
        long bestSeed = result.best().seed();
        Run finalRun = new Run(raw, best, bestSeed, TRAIN_LAST, TRAIN_LAST + 1, TEST_LAST);
        double testMse = finalRun.fit(best, best.getInt("epochs"), (mse, epoch) -> { });
        // the reference point: the PyTorch tutorial's settings, untuned, scored the same way
        Params tutorial = space.params(Map.of("window", quick ? 8 : 10, "hiddenSize", quick ? 16 : 50, "layers", 2, "lr", 1e-3,
            "dropout", 0.0, "epochs", quick ? 2 : 120));
        double baselineMse = new Run(raw, tutorial, bestSeed, TRAIN_LAST, TRAIN_LAST + 1, TEST_LAST)
            .fit(tutorial, tutorial.getInt("epochs"), (mse, epoch) -> { });
        double seconds = (System.nanoTime() - t0) / 1e9;

        try {
            result.writeCsv(out.resolve("trials.csv"));
            result.writePlot(out.resolve("tune-sunspots.png"),
                "TuneSunspots: validation MSE (" + valFirst + "-1920) per trial, " + strategy.getClass().getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf(Locale.ROOT, "%s%n", result.summary());
        System.out.printf(Locale.ROOT, "chosen %s: validation MSE %.2f (%d-1920), test MSE %.2f (1921-1987, retrained on 1700-1920)%n",
            best, result.bestScore(), valFirst, testMse);
        System.out.printf(Locale.ROOT, "tutorial defaults %s: test MSE %.2f (same protocol and seed)%n", tutorial, baselineMse);
        System.out.printf(Locale.ROOT, "wrote %s and %s%n", out.resolve("trials.csv"), out.resolve("tune-sunspots.png"));
        System.out.printf(Locale.ROOT,
            "{\"example\":\"TuneSunspots\",\"strategy\":\"%s\",\"seed\":%d,\"threads\":%d,\"trials\":%d,\"complete\":%d,"
                + "\"pruned\":%d,\"failed\":%d,\"val_years\":\"%d-1920\",\"best_params\":%s,\"val_score\":%.6g,\"test_mse\":%.6g,"
                + "\"baseline_test_mse\":%.6g,\"tune_seconds\":%.1f,\"seconds\":%.1f}%n",
            strategyName, seed, threads, result.trials().size(), result.count(TrialState.COMPLETE),
            result.count(TrialState.PRUNED), result.count(TrialState.FAILED), valFirst, json(best), result.bestScore(), testMse,
            baselineMse, tuneSeconds, seconds);
    }

    /** The objective: train on 1700-1885, report and return the one-step-ahead MSE on 1886-1920. */
    private static double validationMse(float[] raw, Trial trial, int valFirst) {
        Params p = trial.params();
        Run run = new Run(raw, p, trial.seed(), valFirst - 1, valFirst, TRAIN_LAST);
        return run.fit(p, p.getInt("epochs"), (mse, epoch) -> trial.reportOrPrune(epoch, mse));
    }

    private static float[] loadSunspots() {
        try {
            Csv csv = Csv.read(Path.of("examples/data/sunspots.csv"));
            float[] years = csv.column("YEAR");
            float[] values = csv.column("SUNACTIVITY");
            int from = Arrays.binarySearch(years, FIRST_YEAR);
            int to = Arrays.binarySearch(years, TEST_LAST);
            if (from < 0 || to < 0) {
                throw new IllegalStateException("sunspots.csv must cover " + FIRST_YEAR + "-" + TEST_LAST);
            }
            return Arrays.copyOfRange(values, from, to + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read examples/data/sunspots.csv (run from the project root)", e);
        }
    }

    private static String json(Params p) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : p.asMap().entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            sb.append(v instanceof Number ? String.format(Locale.ROOT, v instanceof Double ? "%.6g" : "%s", v) : "\"" + v + "\"");
        }
        return sb.append('}').toString();
    }
}
