package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LinearRegressionExampleTest {

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunPrintsFallingLossAndRecoversTheLine() {
        String[] lines = ExampleRunner.run(LinearRegression::main, "--quick");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"LinearRegression\""), last);
        assertTrue(lines[0].startsWith("Epoch [1/60], Loss:"), lines[0]);
        double first = field(last, "first_loss");
        double fin = field(last, "final_loss");
        // the data are y = 3 x1 - 2 x2 + 0.5 + N(0, 0.01^2): the best possible MSE is about 1e-4
        assertTrue(fin < first / 1000 && fin < 1e-3, "loss did not fall: " + first + " -> " + fin);
        assertTrue(Math.abs(field(last, "w1") - 3) < 0.01, last);
        assertTrue(Math.abs(field(last, "w2") + 2) < 0.01, last);
        assertTrue(Math.abs(field(last, "b") - 0.5) < 0.01, last);
    }
}
