package io.github.lstm4j.examples;

import static io.github.lstm4j.examples.SunspotsForecastExampleTest.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LynxForecastExampleTest {

    @Test
    void quickRunReproducesZhangsBaselinesAndWritesThePlots(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(LynxForecast::main, "--quick", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"LynxForecast\",\"seed\":0,\"test_mse\":"), last);
        for (String f : new String[] {"test_mse", "test_mae", "ar2_test_mse", "persistence_test_mse", "val_mse"}) {
            assertTrue(Double.isFinite(field(last, f)) && field(last, f) > 0, f + " in " + last);
        }
        // the protocol check: log10 counts, AR(2) with constant by least squares on 1821-1920 and
        // persistence, one step ahead over 1921-1934 (statsmodels: 0.0176 and 0.0687)
        assertEquals(0.0176, field(last, "ar2_test_mse"), 0.0176 * 0.01, last);
        assertEquals(0.0687, field(last, "persistence_test_mse"), 0.0687 * 0.01, last);
        for (String png : new String[] {"loss.png", "forecast.png"}) {
            Path p = out.resolve(png);
            assertTrue(Files.isRegularFile(p) && Files.size(p) > 1000, "missing plot " + p);
        }
    }
}
