package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SunspotsForecastExampleTest {

    static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.eE+]+|NaN|-?Infinity)").matcher(json);
        assertTrue(m.find(), "no numeric field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunReproducesZhangsBaselinesAndWritesThePlots(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(SunspotsForecast::main, "--quick", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"SunspotsForecast\",\"seed\":0,\"test_mse\":"), last);
        for (String f : new String[] {"test_mse", "test_mae", "ar9_test_mse", "ar9_test_mae", "persistence_test_mse", "val_mse"}) {
            assertTrue(Double.isFinite(field(last, f)) && field(last, f) > 0, f + " in " + last);
        }
        // the protocol check: AR(9) with constant by least squares on 1700-1920, one-step forecasts of
        // 1921-1987 from the true history, as measured with statsmodels (MSE 305.3, MAE 12.75), and
        // persistence (920.7); a wrong split, lag or year offset moves these by far more than 1%
        assertEquals(305.3, field(last, "ar9_test_mse"), 305.3 * 0.01, last);
        assertEquals(12.75, field(last, "ar9_test_mae"), 12.75 * 0.01, last);
        assertEquals(920.7, field(last, "persistence_test_mse"), 920.7 * 0.01, last);
        // even the quick two-member, 50-epoch ensemble learns enough to beat persistence
        assertTrue(field(last, "test_mse") < 920.7, last);
        for (String png : new String[] {"loss.png", "forecast.png"}) {
            Path p = out.resolve(png);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 1000, "missing plot " + p);
        }
    }

    @Test
    void laterTestYearsRefitOnEverythingBeforeThem(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(SunspotsForecast::main, "--quick", "--test-years", "1988-2008", "--out",
            out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"SunspotsForecast\",\"seed\":0,\"test_years\":\"1988-2008\","), last);
        // AR(9) with constant by least squares on 1700-1987, forecasting 1988-2008 one step ahead,
        // computed independently with numpy.linalg.lstsq: MSE 258.55, MAE 12.994; persistence 944.28
        assertEquals(258.55, field(last, "ar9_test_mse"), 258.55 * 0.01, last);
        assertEquals(12.994, field(last, "ar9_test_mae"), 12.994 * 0.01, last);
        assertEquals(944.28, field(last, "persistence_test_mse"), 944.28 * 0.01, last);
    }

    @Test
    void testYearsOutsideTheFileOrInsideTheFitYearsAreRejected() {
        for (String bad : new String[] {"1900-1950", "1990-2010", "2000-1990", "1988"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SunspotsForecast.Split.of(new String[] {"--test-years", bad}));
            assertTrue(e.getMessage().contains("--test-years"), e.getMessage());
        }
    }
}
