package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TutorialExampleTest {

    @Test
    void quickRunPrintsTheTutorialsLinesAndTheLossFalls() {
        String[] lines = ExampleRunner.run(Tutorial::main, "--quick");
        List<String> epochLines = Arrays.stream(lines).filter(l -> l.startsWith("Epoch")).collect(Collectors.toList());
        assertEquals(2, epochLines.size(), "one line every 10 epochs of 20: " + Arrays.toString(lines));
        assertTrue(epochLines.get(0).matches("Epoch \\[10/20\\], Loss: \\d+\\.\\d{4}"), epochLines.get(0));
        String last = lines[lines.length - 1];
        Matcher m = Pattern.compile("\"first_loss\":([-0-9.eE+]+),\"final_loss\":([-0-9.eE+]+)").matcher(last);
        assertTrue(m.find(), last);
        double first = Double.parseDouble(m.group(1));
        double fin = Double.parseDouble(m.group(2));
        // targets ~ N(0, 1), so the untrained MSE is about 1; Adam must bring it down
        assertTrue(first > 0.5 && first < 2, "first loss " + first);
        assertTrue(fin < first, "loss did not fall: " + first + " -> " + fin);
    }
}
