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
 * Forecasts the Canadian lynx series one year ahead with Zhang's (2003) protocol: log10 of the
 * yearly counts 1821-1934, models fitted on 1821-1920 (100 years), one-step forecasts of each of
 * 1921-1934 (14 years) from the true history before it, errors on the log10 scale.
 *
 * <p>The example fits the classical AR(2) with constant by least squares as a check on the
 * protocol (test MSE 0.0176 in the reference) and scores persistence (0.0687). The default model,
 * chosen by validation inside 1821-1920 ({@code docs/examples/lynx.md}), is a hybrid: an AR(2)
 * fitted by least squares on the standardised log10 series, plus an ensemble of 5 one-layer LSTMs
 * with 8 hidden units that learn its residual from the last 10 years (AdamW at 1e-3,
 * cosine-annealed over 300 epochs, batches of 8). Like {@link SunspotsForecast} it runs a
 * validation stage (fit 1821-1900, score 1901-1920 after every epoch) and then refits the same
 * recipe on 1821-1920 for the test forecasts; {@code --validate-only} stops after the first stage.
 *
 * <pre>examples/run LynxForecast [--seed S] [--quick] [--out DIR] [--validate-only] [--val-years A-B]
 *     [--window W] [--hidden H] [--layers L] [--dropout P] [--wd WD] [--lr LR] [--batch B]
 *     [--epochs E] [--members K] [--loss mse|huber] [--cosine true|false] [--hybrid P]</pre>
 *
 * The last line is a JSON object: {@code {"example":"LynxForecast","seed":..,"test_mse":..,
 * "ar2_test_mse":..,...}}.
 */
public final class LynxForecast {

    private static final Logger log = LoggerFactory.getLogger(LynxForecast.class);

    private static final int FIRST_YEAR = 1821;
    private static final int FIT_END = 1920;
    private static final int TEST_END = 1934;

    private LynxForecast() {
    }

    /** The example's defaults (chosen by validation inside 1821-1920), then the arguments. */
    static ForecastSettings settings(String[] args) {
        ForecastSettings s = new ForecastSettings();
        s.out = Path.of("target/examples/lynx");
        s.valStart = 1901;
        s.valEnd = 1920;
        s.hybrid = 2;
        s.window = 10;
        s.hidden = 8;
        s.batch = 8;
        s.epochs = 300;
        s.members = 5;
        s.parse(args);
        if (!s.transform.equals("none") || s.arWeight != 0) {
            throw new IllegalArgumentException("LynxForecast works on log10 of the counts and reports the LSTM alone: "
                + "--transform and --ar-weight are not supported");
        }
        s.checkValidationYears(FIRST_YEAR, FIT_END, Math.max(s.window, s.hybrid) + 30);
        return s;
    }

    public static void main(String[] args) {
        try {
            run(settings(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void run(ForecastSettings s) throws IOException {
        long start = System.nanoTime();
        Csv csv = Csv.read(Path.of("examples/data/lynx.csv"));
        float[] years = csv.column("year");
        float[] trapped = csv.column("trapped");
        int n = TEST_END - FIRST_YEAR + 1;
        if (years.length != n || years[0] != FIRST_YEAR || years[n - 1] != TEST_END) {
            throw new IllegalStateException("lynx.csv should hold the consecutive years 1821-1934");
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.log10(trapped[i]);
        }
        int fitEnd = FIT_END - FIRST_YEAR;
        int testFrom = fitEnd + 1;
        int testTo = n - 1;
        int valFrom = s.valStart - FIRST_YEAR;
        int valTo = s.valEnd - FIRST_YEAR;
        Recipe recipe = s.recipe();
        int firstTarget = Math.max(s.window, s.hybrid);
        log.info("log10 lynx {}-{}: fit {}-{}, validation {}-{} inside it, test {}-{}; recipe {}, hybrid AR({})",
            FIRST_YEAR, TEST_END, FIRST_YEAR, FIT_END, s.valStart, s.valEnd, FIT_END + 1, TEST_END, recipe, s.hybrid);

        // stage 1: fit before the validation years, score them after every epoch
        double[] ar2Val = AutoRegression.fit(y, 2, 2, valFrom - 1).predict(y, valFrom, valTo);
        double ar2ValMse = ForecastErrors.mse(ar2Val, y, valFrom);
        Series valSeries = Series.standardized(y, u -> u, u -> u, valFrom - 1, s.hybrid);
        LstmForecaster valModel = new LstmForecaster(recipe, s.seed);
        Curves valCurves = valModel.fit(valSeries, firstTarget, valFrom - 1, valFrom, valTo);
        double valMse = ForecastErrors.mse(valModel.predict(valSeries, valFrom, valTo), y, valFrom);
        log.info("validation {}-{}: LSTM MSE {}, AR(2) fitted on the same years {}", s.valStart, s.valEnd, f(valMse),
            f(ar2ValMse));
        if (s.validateOnly) {
            System.out.printf(Locale.ROOT, "{\"example\":\"LynxForecast\",\"mode\":\"validate\",\"seed\":%d,"
                    + "\"val_years\":\"%d-%d\",\"val_mse\":%.5f,\"ar2_val_mse\":%.5f,\"seconds\":%.1f}%n",
                s.seed, s.valStart, s.valEnd, valMse, ar2ValMse, (System.nanoTime() - start) / 1e9);
            return;
        }

        // stage 2: refit on 1821-1920 and forecast 1921-1934
        double[] ar2Test = AutoRegression.fit(y, 2, 2, fitEnd).predict(y, testFrom, testTo);
        double ar2Mse = ForecastErrors.mse(ar2Test, y, testFrom);
        double persistenceMse = ForecastErrors.mse(ForecastErrors.persistence(y, testFrom, testTo), y, testFrom);
        log.info("protocol check: AR(2) fitted on 1821-1920 scores test MSE {} (reference 0.0176); persistence {} "
            + "(0.0687)", f(ar2Mse), f(persistenceMse));
        Series fitSeries = Series.standardized(y, u -> u, u -> u, fitEnd, s.hybrid);
        LstmForecaster model = new LstmForecaster(recipe, s.seed);
        Curves fitCurves = model.fit(fitSeries, firstTarget, fitEnd, 1, 0);
        double[] forecast = model.predict(fitSeries, testFrom, testTo);
        double mse = ForecastErrors.mse(forecast, y, testFrom);
        double mae = ForecastErrors.mae(forecast, y, testFrom);
        log.info("test 1921-1934 (log10): LSTM MSE {} MAE {}; AR(2) MSE {}; persistence MSE {}", f(mse), f(mae),
            f(ar2Mse), f(persistenceMse));
        writePlots(s, y, valCurves, fitCurves, forecast, ar2Test, testFrom);
        System.out.printf(Locale.ROOT, "{\"example\":\"LynxForecast\",\"seed\":%d,\"test_mse\":%.5f,\"test_mae\":%.5f,"
                + "\"ar2_test_mse\":%.5f,\"persistence_test_mse\":%.5f,\"val_mse\":%.5f,\"ar2_val_mse\":%.5f,"
                + "\"epochs\":%d,\"members\":%d,\"seconds\":%.1f,\"out\":\"%s\"}%n",
            s.seed, mse, mae, ar2Mse, persistenceMse, valMse, ar2ValMse, recipe.epochs(), recipe.members(),
            (System.nanoTime() - start) / 1e9, s.out.toString().replace("\\", "/"));
    }

    private static void writePlots(ForecastSettings s, double[] y, Curves val, Curves fit, double[] forecast,
                                   double[] ar2, int testFrom) throws IOException {
        int epochs = val.trainMse().length;
        if (epochs > 0) {
            double[] ep = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                ep[e] = e + 1;
            }
            new LinePlot("log10 lynx: ensemble MSE per epoch", "epoch", "MSE (log10 units^2)")
                .series("train " + FIRST_YEAR + "-" + (s.valStart - 1), ep, val.trainMse())
                .series("val " + s.valStart + "-" + s.valEnd, ep, val.validationMse())
                .series("refit " + FIRST_YEAR + "-" + FIT_END, ep, fit.trainMse())
                .logY(true)
                .write(s.out.resolve("loss.png"));
        }
        int from = testFrom - 40;     // the last 40 fitted years for context, then the test years
        int len = y.length - from;
        double[] yr = new double[len];
        double[] truth = new double[len];
        double[] lstm = new double[len];
        double[] ar = new double[len];
        for (int i = 0; i < len; i++) {
            yr[i] = FIRST_YEAR + from + i;
            truth[i] = y[from + i];
            lstm[i] = from + i < testFrom ? Double.NaN : forecast[from + i - testFrom];
            ar[i] = from + i < testFrom ? Double.NaN : ar2[from + i - testFrom];
        }
        new LinePlot("log10 lynx: one-year-ahead forecasts of 1921-1934", "year", "log10(lynx trapped)")
            .seriesWithPoints("truth", yr, truth)
            .seriesWithPoints("LSTM", yr, lstm)
            .seriesWithPoints("AR(2)", yr, ar)
            .write(s.out.resolve("forecast.png"));
        log.info("plots written to {}", s.out.toAbsolutePath());
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.5f", v);
    }
}
