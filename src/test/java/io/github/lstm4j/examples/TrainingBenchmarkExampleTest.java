package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.tensor.Kernels;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrainingBenchmarkExampleTest {

    @Test
    void tinyRunPrintsOneJsonLineWithPyTorchsFieldsAndLeavesTheThreadCountAlone() {
        int threads = Kernels.threads();
        String[] lines = ExampleRunner.run(TrainingBenchmark::main,
            "--configs", "tutorial", "--threads", "1", "--seconds", "0.05", "--warmup", "0.05", "--max-warmup", "0.1");
        List<String> json = Arrays.stream(lines).filter(l -> l.startsWith("{")).collect(Collectors.toList());
        assertEquals(1, json.size(), "one line per config: " + Arrays.toString(lines));
        String line = json.get(0);
        // pytorch_lstm.py's fields first, in its order
        Matcher m = Pattern.compile("\\{\"impl\": \"lstm4j-(plain|vector)\", \"config\": \"tutorial\", \"threads\": 1, "
            + "\"ms_per_step\": ([0-9.]+), \"steps_per_s\": ([0-9.]+), \"gflops\": ([0-9.]+), "
            + "\"bytes_per_step\": (\\d+), .*\\}").matcher(line);
        assertTrue(m.matches(), line);
        double ms = Double.parseDouble(m.group(2));
        double stepsPerS = Double.parseDouble(m.group(3));
        double gflops = Double.parseDouble(m.group(4));
        assertTrue(ms > 0, line);
        assertEquals(1000 / ms, stepsPerS, 0.02 * stepsPerS, "steps_per_s is 1000 / ms_per_step: " + line);
        // the script's count for the tutorial: 3 x (2*32*10*200*(1+50) + 2*32*10*200*(50+50)) flops
        assertEquals(57_984_000 / (ms * 1e-3) / 1e9, gflops, 0.02 * gflops + 0.01, line);
        assertEquals(threads, Kernels.threads(), "the thread count is put back");
    }

    @Test
    void unknownConfigIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TrainingBenchmark.main(new String[] {"--configs", "huge"}));
        assertEquals("unknown config 'huge'; known: [tutorial, medium, large]", e.getMessage());
    }
}
