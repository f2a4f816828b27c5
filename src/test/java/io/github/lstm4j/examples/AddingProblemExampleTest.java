package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddingProblemExampleTest {

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunLstmBeatsTheConstantPredictorAndDrawsBothCurves(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(AddingProblem::main, "--quick", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"AddingProblem\""), last);
        assertEquals(20, (int) field(last, "T"), last);
        assertEquals(500, (int) field(last, "steps"), last);
        assertTrue(field(last, "seconds") >= 0, last);
        double baseline = field(last, "baseline_mse");
        // the sum of two U[0, 1] has variance 2/12; 1000 test sequences estimate it within a few percent
        assertTrue(baseline > 0.14 && baseline < 0.19, "constant predictor " + baseline);
        double lstm = field(last, "lstm_test_mse");
        double rnn = field(last, "rnn_test_mse");
        assertTrue(Double.isFinite(rnn) && rnn > 0, "RNN MSE " + rnn);
        // seed 0, T = 20, 500 steps: the LSTM has found the marked values (measured 0.0013; seeds 0-4 all below 0.016)
        assertTrue(lstm < baseline / 4, "LSTM " + lstm + " not well below the constant predictor " + baseline);
        BufferedImage png = ImageIO.read(out.resolve("adding-curves.png").toFile());
        assertNotNull(png, "adding-curves.png is not a readable PNG");
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100, png.toString());
    }
}
