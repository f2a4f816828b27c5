package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NovelClassifierExampleTest {

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunBeatsTheMajorityClassOnHeldOutChaptersAndWritesItsPlots(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(NovelClassifier::main, "--quick", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"NovelClassifier\""), last);
        assertTrue(last.endsWith("}"), last);
        for (String name : new String[] {"test_accuracy", "majority_accuracy", "naive_bayes_accuracy", "seconds"}) {
            double v = field(last, name);
            assertTrue(v >= 0 && (name.equals("seconds") || v <= 1), name + " = " + v);
        }
        assertEquals(2000, field(last, "train_passages"), "--quick trains on 2000 passages: " + last);
        // every 5th chapter of each book, cut at 150 characters: close to two thousand passages
        assertTrue(field(last, "test_passages") > 1000, last);

        double majority = field(last, "majority_accuracy");
        double accuracy = field(last, "test_accuracy");
        // the test chapters are near balanced, so either constant answer scores about 0.5; the quick
        // model (seed 0) scores about 0.71: it must beat both constants by a clear margin
        assertTrue(majority > 0.4 && majority < 0.6, "majority class accuracy " + majority);
        assertTrue(accuracy > Math.max(majority, 1 - majority) + 0.05,
            "the quick LSTM did not beat the majority class: " + accuracy + " vs " + majority);
        // the baseline must really read the passages
        assertTrue(field(last, "naive_bayes_accuracy") > 0.7, last);

        for (String png : new String[] {"loss.png", "accuracy.png"}) {
            Path p = out.resolve(png);
            assertTrue(Files.isRegularFile(p), "no plot " + p);
            byte[] bytes = Files.readAllBytes(p);
            assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "not a PNG chart: " + p);
        }
    }
}
