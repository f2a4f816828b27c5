package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        try (PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            return Inspect.run(args, out, err);
        }
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> errLines() {
        String s = errBytes.toString(StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : Arrays.asList(s.split("\\R"));
    }

    private Path validFile(String name) throws IOException {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        m.put("param.weight_ih_l0", RawTensor.ofFloats(new int[] {8, 3}, new float[24]));
        m.put("input.lengths", RawTensor.ofLongs(new int[] {2}, new long[] {3, 1}));
        Path p = dir.resolve(name);
        Safetensors.write(p, m, Map.of("kind", "lstm", "config", "{\"hidden_size\": 2}"));
        return p;
    }

    @Test
    void validFileListsTensorsAndMetadataAndExitsZero() throws IOException {
        Path p = validFile("good.safetensors");
        assertEquals(0, run(p.toString()));
        String out = out();
        assertTrue(out.contains("param.weight_ih_l0") && out.contains("F32") && out.contains("[8, 3]")
                && out.contains("96 bytes"), out);
        assertTrue(out.contains("input.lengths") && out.contains("I64") && out.contains("16 bytes"), out);
        assertTrue(out.contains("kind = lstm") && out.contains("hidden_size"), out);
        assertEquals(List.of(), errLines());
    }

    @Test
    void mixOfValidBrokenAndMissingFilesReportsEachBadOneOnOneLine() throws IOException {
        Path good = validFile("good.safetensors");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(bytes, bytes.length - 5));
        Path garbage = Files.write(dir.resolve("garbage.safetensors"), "hello, not a model".getBytes(StandardCharsets.UTF_8));
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[3]);
        Path missing = dir.resolve("missing.safetensors");
        Path good2 = validFile("good2.safetensors");

        int status = run(truncated.toString(), good.toString(), garbage.toString(), missing.toString(),
                dir.toString(), tiny.toString(), good2.toString());

        assertEquals(2, status);
        List<String> err = errLines();
        assertEquals(5, err.size(), String.join("\n", err));
        assertTrue(err.get(0).startsWith(truncated + ": error: ") && err.get(0).contains("past the end"), err.get(0));
        assertTrue(err.get(1).startsWith(garbage + ": error: header length"), err.get(1));
        assertEquals(missing + ": error: no such file", err.get(2));
        assertEquals(dir + ": error: is a directory", err.get(3));
        assertTrue(err.get(4).startsWith(tiny + ": error: ") && err.get(4).contains("fewer than the 8"), err.get(4));
        String out = out();
        assertTrue(out.contains(good.toString()) && out.contains(good2.toString()), out);
        assertEquals(2, out.split("param.weight_ih_l0", -1).length - 1, "both valid files listed: " + out);
        assertFalse(out.contains("truncated") || out.contains("garbage"), out);
        assertFalse(errBytes.toString(StandardCharsets.UTF_8).contains("\tat "), "no stack trace");
    }

    @Test
    void noArgumentsPrintsUsageAndFails() {
        assertEquals(2, run());
        assertEquals(1, errLines().size());
        assertTrue(errLines().get(0).startsWith("usage:"));
    }

    @Test
    void neverThrowsOnRandomFilesOrOddPaths() throws IOException {
        Random r = new Random(7);
        String[] args = new String[42];
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[r.nextInt(64)];
            r.nextBytes(b);
            args[i] = Files.write(dir.resolve("r" + i), b).toString();
        }
        args[40] = "bad\u0000path";
        args[41] = "";
        assertEquals(2, run(args));
        List<String> err = errLines();
        assertEquals(42, err.size(), String.join("\n", err));
        assertTrue(err.stream().allMatch(l -> l.contains(": error: ")), String.join("\n", err));
        assertTrue(err.get(40).startsWith("bad\\u0000path: error: "), "control characters escaped: " + err.get(40));
    }
}
