package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SoakExampleTest {

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void quickRunSamplesTheHeapEveryHundredStepsAndReportsItsGrowth() {
        String[] lines = ExampleRunner.run(Soak::main, "--quick");
        List<String> samples = Arrays.stream(lines).filter(l -> l.matches("step +[1-9]\\d* +heap .*"))
            .collect(Collectors.toList());
        assertEquals(3, samples.size(), "samples at steps 100, 200, 300: " + String.join("\n", lines));
        assertTrue(samples.get(0).contains("steps/s") && samples.get(0).contains("end of warm-up"), samples.get(0));
        String json = lines[lines.length - 1];
        assertTrue(json.startsWith("{\"example\":\"Soak\",\"steps\":300,\"every\":100,"), json);
        assertTrue(json.matches(".*\"heap_mb\":\\[[0-9.]+,[0-9.]+,[0-9.]+\\].*"), json);
        double first = number(json, "heap_first_mb");
        double last = number(json, "heap_last_mb");
        assertTrue(first > 0 && last > 0, json);
        assertEquals(100 * (last - first) / first, number(json, "growth_percent"), 0.5, json);
        // a leaked graph per step would add megabytes every 100 steps; 300 steps are too few to
        // judge the 5% of the full run, but enough to catch that
        assertTrue(number(json, "growth_percent") < 50, json);
        assertTrue(Double.isFinite(number(json, "final_loss")), json);
    }
}
