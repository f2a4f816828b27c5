package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneSunspotsExampleTest {

    @Test
    void quickRunTunesOnTrainingYearsAndReportsTheTestMse(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(TuneSunspots::main, "--quick", "--threads", "2", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"TuneSunspots\""), last);
        assertTrue(last.contains("\"trials\":4"), last);
        Matcher params = Pattern.compile("\"best_params\":\\{\"window\":\\d+,\"hiddenSize\":\\d+,\"layers\":[12],"
            + "\"lr\":[-0-9.eE+]+,\"dropout\":[-0-9.eE+]+,\"epochs\":[23]}").matcher(last);
        assertTrue(params.find(), last);
        Matcher scores = Pattern.compile("\"val_score\":([-0-9.eE+]+),\"test_mse\":([-0-9.eE+]+)").matcher(last);
        assertTrue(scores.find(), last);
        double val = Double.parseDouble(scores.group(1));
        double test = Double.parseDouble(scores.group(2));
        // sunspot numbers run 0-190; an untrained or diverged model would be far above 10^4
        assertTrue(val > 0 && val < 1e4, "validation MSE " + val);
        assertTrue(test > 0 && test < 1e4, "test MSE " + test);

        List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
        assertEquals("number,state,score,duration_ms,window,hiddenSize,layers,lr,dropout,epochs,note", csv.get(0));
        assertEquals(5, csv.size());
        assertTrue(Files.size(out.resolve("tune-sunspots.png")) > 1000);
    }
}
