package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharRnnExampleTest {

    private static double field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunBeatsTheUnigramModelAndSamplesFromThePrime(@TempDir Path out) throws IOException {
        String[] lines = ExampleRunner.run(CharRnn::main, "--quick", "--out", out.toString());
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"example\":\"CharRnn\""), last);
        assertEquals(60, (int) field(last, "steps"), last);
        assertTrue(field(last, "seconds") > 0, last);
        double bpc = field(last, "test_bpc");
        // uniform over the 75 characters is log2(75) = 6.23 bits; the 1-gram model scores 4.49
        assertTrue(bpc < 4.49, "held-out " + bpc + " bits/char, no better than the 1-gram model");
        Matcher sample = Pattern.compile("\"sample\":\"((?:[^\"\\\\]|\\\\.)*)\"}$").matcher(last);
        assertTrue(sample.find(), "no JSON-escaped sample at the end of " + last);
        assertTrue(sample.group(1).startsWith("Elizabeth") && sample.group(1).length() > 60, sample.group(1));
        BufferedImage png = ImageIO.read(out.resolve("charrnn-curves.png").toFile());
        assertNotNull(png, "charrnn-curves.png is not a readable PNG");
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100, png.toString());
    }

    @Test
    void chunksContinueEachStreamAndTargetIsTheNextCharacter() {
        float[] text = new float[41];
        for (int i = 0; i < text.length; i++) {
            text[i] = i;
        }
        // two streams of 20 characters, chunks of 3: stream 1 starts at character 20
        Tensor[] first = CharRnn.chunk(text, 20, 0, 2, 3);
        assertArrayEquals(new float[] {0, 1, 2, 20, 21, 22}, first[0].toFloatArray());
        assertArrayEquals(new int[] {2, 3}, first[0].shape());
        assertArrayEquals(new float[] {1, 2, 3, 21, 22, 23}, first[1].toFloatArray());
        Tensor[] second = CharRnn.chunk(text, 20, 1, 2, 3);
        assertArrayEquals(new float[] {3, 4, 5, 23, 24, 25}, second[0].toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 24, 25, 26}, second[1].toFloatArray());
    }

    @Test
    void jsonEscapeKeepsQuotesNewlinesAndBackslashesInsideTheString() {
        assertEquals("say \\\"no\\\"\\nthen\\\\ \\u0001", CharRnn.jsonEscape("say \"no\"\nthen\\ \u0001"));
    }

    @Test
    void temperatureSharpensOrKeepsTheSoftmax() {
        Generator gen = new Generator(3);
        float[] logits = {0.1f, 2.0f, 1.9f};
        for (int i = 0; i < 200; i++) {
            assertEquals(1, CharRnn.draw(logits, 0.01, gen), "near zero temperature is argmax");
        }
        // at temperature 1, logits (0, ln 3) give probabilities (1/4, 3/4)
        float[] twoWay = {0f, (float) Math.log(3)};
        int ones = 0;
        int n = 8000;
        for (int i = 0; i < n; i++) {
            ones += CharRnn.draw(twoWay, 1.0, gen);
        }
        assertEquals(0.75, ones / (double) n, 0.02);
        // at temperature 2 they become (0, ln 3 / 2): 1 / (1 + 1/sqrt 3) = 0.634
        ones = 0;
        for (int i = 0; i < n; i++) {
            ones += CharRnn.draw(twoWay, 2.0, gen);
        }
        assertEquals(1 / (1 + 1 / Math.sqrt(3)), ones / (double) n, 0.02);
    }

    @Test
    void cosineScheduleFallsFromTheLearningRateToATwentieth() {
        assertEquals(0.01, CharRnn.cosine(0.01, 0), 1e-12);
        assertEquals(0.01 * (1 + 1.0 / 20) / 2, CharRnn.cosine(0.01, 0.5), 1e-12);
        assertEquals(0.0005, CharRnn.cosine(0.01, 1), 1e-12);
        assertEquals(0.0005, CharRnn.cosine(0.01, 1.7), 1e-12);
    }
}
