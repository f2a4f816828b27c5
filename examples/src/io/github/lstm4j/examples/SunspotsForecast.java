package io.github.lstm4j.examples;

import io.github.lstm4j.data.Csv;
import io.github.lstm4j.examples.support.AutoRegression;
import io.github.lstm4j.examples.support.ForecastErrors;
import io.github.lstm4j.examples.support.ForecastSettings;
import io.github.lstm4j.examples.support.LinePlot;
import io.github.lstm4j.examples.support.LstmForecaster;
import io.github.lstm4j.examples.support.LstmForecaster.Curves;
import io.github.lstm4j.examples.support.LstmForecaster.Recipe;
import io.github.lstm4j.examples.support.LstmForecaster.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forecasts the yearly sunspot numbers one year ahead with Zhang's (2003) protocol: the years
 * 1700-1987, models fitted on 1700-1920, and one-step forecasts of each of the 67 years
 * 1921-1987, each from the true history before it, scored by MSE and MAE in sunspot units.
 *
 * <p>As a check on the protocol the example also fits the classical AR(9) with constant by least
 * squares on 1700-1920 (test MSE 305.3, MAE 12.75 in the reference) and scores persistence (920.7).
 *
 * <p>The default model, chosen by validation inside 1700-1920 ({@code docs/examples/sunspots.md}
 * tells how): an ensemble of 10 one-layer LSTMs with 8 hidden units and a Linear head, fed the last
 * 9 years on the square-root scale, standardised; AdamW at 1e-3, cosine-annealed over 300 epochs,
 * batches of 8; every training window and its target multiplied by a random factor
 * {@code exp(U(-0.2, 0.2))} (amplitude augmentation, so that the forecasts can grow beyond the
 * training range: 1957 saw 190, the training years at most 154). A run has two stages:
 * <ol>
 *   <li>validation: fit on 1700-1890 and score one-step forecasts of 1891-1920 after every epoch
 *       (the learning curves);</li>
 *   <li>refit: the same recipe from the same seed on all of 1700-1920, then the 67 test forecasts.</li>
 * </ol>
 * With {@code --validate-only} the second stage is skipped and the test years are never touched.
 *
 * <pre>examples/run SunspotsForecast [--seed S] [--quick] [--out DIR] [--validate-only]
 *     [--val-years 1891-1920] [--window W] [--hidden H] [--layers L] [--dropout P] [--wd WD]
 *     [--lr LR] [--batch B] [--epochs E] [--members K] [--loss mse|huber] [--cosine true|false]
 *     [--augment A] [--transform none|sqrt] [--hybrid P] [--ar-weight W] [--test-years 1988-2008]</pre>
 *
 * {@code --hybrid P} makes the networks learn the residual of an AR(P) instead of the series;
 * {@code --ar-weight W} reports {@code (1 - W) LSTM + W AR(9)}; {@code --test-years A-B} forecasts another
 * period after 1920 (up to 2008, the file's last year), refitting on 1700 to A-1. The last line is a JSON object:
 * {@code {"example":"SunspotsForecast","seed":..,"test_mse":..,"test_mae":..,"ar9_test_mse":..,...}}.
 */
public final class SunspotsForecast {

    private static final Logger log = LoggerFactory.getLogger(SunspotsForecast.class);

    private static final int FIRST_YEAR = 1700;
    private static final int FIT_END = 1920;
    private static final int TEST_END = 1987;
    /** The last year in the shipped file; 1988-2008 were never used to choose anything. */
    private static final int LAST_YEAR = 2008;

    /**
     * The years a run fits on and forecasts: Zhang's (fit 1700-1920, test 1921-1987) unless
     * {@code --test-years A-B} asks for another test period, after 1920, fitted on 1700 to A-1.
     */
    record Split(int fitEnd, int testEnd) {

        static final Split ZHANG = new Split(FIT_END, TEST_END);

        /** Reads {@code --test-years A-B} from the arguments, if present. */
        static Split of(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--test-years")) {
                    String[] p = i + 1 < args.length ? args[i + 1].split("-") : new String[0];
                    int a;
                    int b;
                    try {
                        a = Integer.parseInt(p[0]);
                        b = Integer.parseInt(p[1]);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("--test-years takes FIRST-LAST, e.g. 1988-2008, got "
                            + (i + 1 < args.length ? args[i + 1] : "nothing"));
                    }
                    if (p.length != 2 || a <= FIT_END || a > b || b > LAST_YEAR) {
                        throw new IllegalArgumentException("--test-years must lie within " + (FIT_END + 1) + "-"
                            + LAST_YEAR + " (after the validation years), first <= last, got " + args[i + 1]);
                    }
                    return new Split(a - 1, b);
                }
            }
            return ZHANG;
        }

        /** The arguments without {@code --test-years A-B}. */
        static String[] strip(String[] args) {
            java.util.List<String> rest = new java.util.ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--test-years")) {
                    i++;
                } else {
                    rest.add(args[i]);
                }
            }
            return rest.toArray(new String[0]);
        }
    }

    private SunspotsForecast() {
    }

    /** The example's defaults (chosen by validation inside 1700-1920), then the arguments. */
    static ForecastSettings settings(String[] args) {
        ForecastSettings s = new ForecastSettings();
        s.out = Path.of("target/examples/sunspots");
        s.valStart = 1891;
        s.valEnd = 1920;
        s.transform = "sqrt";
        s.window = 9;
        s.hidden = 8;
        s.layers = 1;
        s.batch = 8;
        s.lr = 1e-3;
        s.epochs = 300;
        s.members = 10;
        s.augment = 0.2;
        s.parse(args);
        if (!s.transform.equals("none") && !s.transform.equals("sqrt")) {
            throw new IllegalArgumentException("--transform must be none or sqrt, got " + s.transform);
        }
        s.checkValidationYears(FIRST_YEAR, FIT_END, Math.max(s.window, s.hybrid) + 30);
        return s;
    }

    public static void main(String[] args) {
        try {
            run(settings(Split.strip(args)), Split.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(ForecastSettings s, Split split) throws IOException {
        long start = System.nanoTime();
        double[] y = load(Path.of("examples/data/sunspots.csv"), split.testEnd());
        int fitEnd = split.fitEnd() - FIRST_YEAR;   // index of 1920 in Zhang's split
        int testFrom = fitEnd + 1;                  // 1921
        int testTo = y.length - 1;                  // 1987
        int valFrom = s.valStart - FIRST_YEAR;
        int valTo = s.valEnd - FIRST_YEAR;
        int firstTarget = Math.max(s.window, s.hybrid);
        Recipe recipe = s.recipe();
        log.info("sunspots {}-{}: fit {}-{} (validation {}-{} inside it), test {}-{}; {}, transform {}, hybrid AR({})",
            FIRST_YEAR, split.testEnd(), FIRST_YEAR, split.fitEnd(), s.valStart, s.valEnd, split.fitEnd() + 1,
            split.testEnd(), recipe,
            s.transform, s.hybrid);

        // stage 1: fit on the years before the validation period, score the validation years each epoch
        AutoRegression ar9Val = AutoRegression.fit(y, 9, 9, valFrom - 1);
        double[] ar9ValForecast = ar9Val.predict(y, valFrom, valTo);
        double ar9ValMse = ForecastErrors.mse(ar9ValForecast, y, valFrom);
        Series valSeries = modelSpace(y, valFrom - 1, s);
        LstmForecaster valModel = new LstmForecaster(recipe, s.seed);
        log.info("validation stage: {} members of {} parameters each, fitted on {}-{}", recipe.members(),
            valModel.parametersPerMember(), FIRST_YEAR, s.valStart - 1);
        Curves valCurves = valModel.fit(valSeries, firstTarget, valFrom - 1, valFrom, valTo);
        double[] lstmValForecast = valModel.predict(valSeries, valFrom, valTo);
        double valMse = ForecastErrors.mse(blend(lstmValForecast, ar9ValForecast, s.arWeight), y, valFrom);
        log.info("validation {}-{}: MSE {} (AR(9) fitted on the same years: {})", s.valStart, s.valEnd, f(valMse, 1),
            f(ar9ValMse, 1));
        if (s.validateOnly) {
            printValidation(s, recipe, valCurves, lstmValForecast, ar9ValForecast, y, valFrom, valMse, ar9ValMse, start);
            return;
        }

        // stage 2: the same recipe and seed on all of 1700-1920, then the 67 test forecasts (Zhang's split)
        double[] ar9Test = AutoRegression.fit(y, 9, 9, fitEnd).predict(y, testFrom, testTo);
        double ar9Mse = ForecastErrors.mse(ar9Test, y, testFrom);
        double ar9Mae = ForecastErrors.mae(ar9Test, y, testFrom);
        double persistenceMse = ForecastErrors.mse(ForecastErrors.persistence(y, testFrom, testTo), y, testFrom);
        if (split.equals(Split.ZHANG)) {
            log.info("protocol check: AR(9) fitted on 1700-1920 scores test MSE {} MAE {} (reference 305.3, 12.75); "
                + "persistence {} (920.7)", f(ar9Mse, 2), f(ar9Mae, 3), f(persistenceMse, 1));
        }
        log.info("refit stage on {}-{}", FIRST_YEAR, split.fitEnd());
        Series fitSeries = modelSpace(y, fitEnd, s);
        LstmForecaster model = new LstmForecaster(recipe, s.seed);
        Curves fitCurves = model.fit(fitSeries, firstTarget, fitEnd, 1, 0);
        double[] forecast = blend(model.predict(fitSeries, testFrom, testTo), ar9Test, s.arWeight);
        double mse = ForecastErrors.mse(forecast, y, testFrom);
        double mae = ForecastErrors.mae(forecast, y, testFrom);
        log.info("test {}-{}: LSTM MSE {} MAE {}; AR(9) MSE {} MAE {}; persistence MSE {}", split.fitEnd() + 1,
            split.testEnd(), f(mse, 1), f(mae, 2), f(ar9Mse, 1), f(ar9Mae, 2), f(persistenceMse, 1));
        writePlots(s, split, y, valCurves, fitCurves, forecast, ar9Test, testFrom);
        System.out.printf(Locale.ROOT, "{\"example\":\"SunspotsForecast\",\"seed\":%d,%s\"test_mse\":%.2f,\"test_mae\":%.3f,"
                + "\"ar9_test_mse\":%.2f,\"ar9_test_mae\":%.3f,\"persistence_test_mse\":%.2f,\"val_mse\":%.2f,"
                + "\"ar9_val_mse\":%.2f,\"epochs\":%d,\"members\":%d,\"seconds\":%.1f,\"out\":\"%s\"}%n",
            s.seed,
            split.equals(Split.ZHANG) ? "" : "\"test_years\":\"" + (split.fitEnd() + 1) + "-" + split.testEnd() + "\",",
            mse, mae, ar9Mse, ar9Mae, persistenceMse, valMse, ar9ValMse, recipe.epochs(), recipe.members(),
            (System.nanoTime() - start) / 1e9, s.out.toString().replace("\\", "/"));
    }

    /** The sunspot numbers of 1700 to {@code lastYear} from the shipped CSV (columns YEAR, SUNACTIVITY). */
    static double[] load(Path csvFile, int lastYear) throws IOException {
        Csv csv = Csv.read(csvFile);
        float[] years = csv.column("YEAR");
        float[] spots = csv.column("SUNACTIVITY");
        int n = lastYear - FIRST_YEAR + 1;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            if (i >= years.length || years[i] != FIRST_YEAR + i) {
                throw new IllegalStateException(csvFile + " should hold the consecutive years 1700-" + lastYear
                    + ", row " + (i + 1)
                    + (i < years.length ? " is year " + years[i] : " is missing"));
            }
            y[i] = spots[i];
        }
        return y;
    }

    /**
     * The model space of a stage whose training data end at index {@code lastFit}: the square root
     * (or the raw numbers), standardised on the training years, with an AR base for a hybrid.
     */
    static Series modelSpace(double[] y, int lastFit, ForecastSettings s) {
        if (s.transform.equals("sqrt")) {
            return Series.standardized(y, Math::sqrt, u -> Math.max(u, 0) * Math.max(u, 0), lastFit, s.hybrid);
        }
        return Series.standardized(y, u -> u, u -> u, lastFit, s.hybrid);
    }

    /** {@code (1 - w) lstm + w ar}, element by element. */
    static double[] blend(double[] lstm, double[] ar, double w) {
        double[] out = new double[lstm.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (1 - w) * lstm[i] + w * ar[i];
        }
        return out;
    }

    /** The last line of a {@code --validate-only} run: the score, its curve, and blends with AR(9). */
    private static void printValidation(ForecastSettings s, Recipe recipe, Curves curves, double[] lstm, double[] ar9,
                                        double[] y, int valFrom, double valMse, double ar9ValMse, long start) {
        StringBuilder curve = new StringBuilder();
        int step = Math.max(recipe.epochs() / 10, 1);
        for (int e = step; e <= recipe.epochs(); e += step) {
            curve.append(curve.length() == 0 ? "" : ",").append(f(curves.validationMse()[e - 1], 1));
        }
        StringBuilder blends = new StringBuilder();
        for (int q = 0; q <= 4; q++) {
            blends.append(q == 0 ? "" : ",").append(f(ForecastErrors.mse(blend(lstm, ar9, q / 4.0), y, valFrom), 1));
        }
        System.out.printf(Locale.ROOT, "{\"example\":\"SunspotsForecast\",\"mode\":\"validate\",\"seed\":%d,"
                + "\"val_years\":\"%d-%d\",\"val_mse\":%.2f,\"ar9_val_mse\":%.2f,\"val_curve_every_%d\":[%s],"
                + "\"val_mse_by_ar_weight_0_to_1\":[%s],\"seconds\":%.1f}%n", s.seed, s.valStart, s.valEnd, valMse,
            ar9ValMse, step, curve, blends, (System.nanoTime() - start) / 1e9);
    }

    private static void writePlots(ForecastSettings s, Split split, double[] y, Curves val, Curves fit, double[] forecast,
                                   double[] ar9, int testFrom) throws IOException {
        int epochs = val.trainMse().length;
        if (epochs > 0) {
            double[] ep = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                ep[e] = e + 1;
            }
            new LinePlot("Sunspots: ensemble MSE per epoch", "epoch", "MSE (sunspot number^2)")
                .series("train " + FIRST_YEAR + "-" + (s.valStart - 1), ep, val.trainMse())
                .series("val " + s.valStart + "-" + s.valEnd, ep, val.validationMse())
                .series("refit " + FIRST_YEAR + "-" + split.fitEnd(), ep, fit.trainMse())
                .logY(true)
                .write(s.out.resolve("loss.png"));
        }
        double[] years = new double[forecast.length];
        double[] truth = new double[forecast.length];
        for (int i = 0; i < forecast.length; i++) {
            years[i] = FIRST_YEAR + testFrom + i;
            truth[i] = y[testFrom + i];
        }
        new LinePlot("Sunspots " + (split.fitEnd() + 1) + "-" + split.testEnd() + ": one-year-ahead forecasts", "year", "sunspot number")
            .seriesWithPoints("truth", years, truth)
            .series("LSTM ensemble", years, forecast)
            .series("AR(9)", years, ar9)
            .write(s.out.resolve("forecast.png"));
        log.info("plots written to {}", s.out.toAbsolutePath());
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
