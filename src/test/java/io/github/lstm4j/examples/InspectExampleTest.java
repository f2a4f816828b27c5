package io.github.lstm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.nn.Linear;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/run Inspect FILE...}: listings on stdout, one error line per bad file, exit 0 or 2. */
class InspectExampleTest {

    @TempDir
    Path dir;

    private Path savedModel() throws IOException {
        Path p = dir.resolve("model.safetensors");
        new LSTMModel(1, 4, 1, 2).save(p);
        return p;
    }

    @Test
    void validFileIsListedOnStdoutByTheExampleMain() throws IOException {
        Path model = savedModel();
        String[] lines = ExampleRunner.run(Inspect::main, model.toString());
        assertTrue(lines[0].startsWith(model + ": 10 tensors"), lines[0]);
        List<String> all = Arrays.asList(lines);
        assertTrue(all.stream().anyMatch(l -> l.contains("lstm.weight_ih_l0") && l.contains("F32") && l.contains("[16, 1]")
            && l.contains("64 bytes")), String.join("\n", lines));
        assertTrue(all.stream().anyMatch(l -> l.contains("fc.bias")), String.join("\n", lines));
    }

    /** The real exit status needs a JVM of its own: main calls System.exit(2) for a rejected file. */
    @Test
    void aBrokenAndAMissingFileGiveOneErrorLineEachAndExitStatusTwo() throws Exception {
        Path model = savedModel();
        Path broken = dir.resolve("broken.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length - 3));
        Path missing = dir.resolve("missing.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            Inspect.class.getName(), broken.toString(), model.toString(), missing.toString())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Inspect did not finish");
        assertEquals(2, p.exitValue());
        List<String> err = Files.readAllLines(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(2, err.size(), String.join("\n", err));
        assertTrue(err.get(0).startsWith(broken + ": error: "), err.get(0));
        assertEquals(missing + ": error: no such file", err.get(1));
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(out.startsWith(model + ": 10 tensors"), "the valid file between them is still listed: " + out);
        assertFalse(out.contains(broken.toString()), out);
    }
}
