package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write must leave the previous file exactly as it was and no temporary file behind. */
class SafetensorsAtomicWriteTest {

    @TempDir
    Path dir;

    private static final Map<String, RawTensor> OLD =
            Map.of("w", RawTensor.ofFloats(new int[] {3}, new float[] {1, 2, 3}));
    private static final Map<String, RawTensor> NEW =
            Map.of("w", RawTensor.ofDoubles(new int[] {2, 2}, new double[] {9, 8, 7, 6}));

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void failureBeforeCommitKeepsTheOldFileAndRemovesTheTemp() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, Map.of("v", "1"));
        byte[] before = Files.readAllBytes(file);

        IOException failure = new IOException("disk full (simulated)");
        IOException e = assertThrows(IOException.class, () -> Safetensors.write(file, NEW, Map.of("v", "2"),
                (tmp, ch) -> {
                    assertEquals(dir, tmp.getParent(), "temp file lives next to the target");
                    assertTrue(tmp.getFileName().toString().startsWith(".model.safetensors.tmp-"), tmp.toString());
                    assertTrue(Files.exists(tmp));
                    assertTrue(ch.size() > before.length, "new bytes were written to the temp file");
                    assertArrayEquals(before, Files.readAllBytes(file), "target untouched while writing");
                    ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    throw failure;
                }));
        assertSame(failure, e);
        assertArrayEquals(before, Files.readAllBytes(file), "old file unchanged byte for byte");
        assertEquals(List.of("model.safetensors"), listing(), "no temp file left");
        assertEquals(OLD.get("w"), Safetensors.read(file).get("w"));
    }

    @Test
    void uncheckedFailureAlsoCleansUp() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, null);
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalStateException.class, () -> Safetensors.write(file, NEW, null, (tmp, ch) -> {
            throw new IllegalStateException("boom");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void successfulWriteReplacesTheFileAndLeavesNoTemp() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, null);
        Safetensors.write(file, NEW, Map.of("v", "2"));
        assertArrayEquals(Safetensors.toBytes(NEW, Map.of("v", "2")), Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void writingIntoAMissingDirectoryFailsWithoutCreatingAnything() throws IOException {
        Path file = dir.resolve("missing").resolve("model.safetensors");
        assertThrows(NoSuchFileException.class, () -> Safetensors.write(file, OLD, null));
        assertEquals(List.of(), listing());
    }

    @Test
    void invalidArgumentsFailBeforeATempFileExists() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, RawTensor> bad = Map.of("__metadata__", OLD.get("w"));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(file, bad, null, (tmp, ch) -> {
            throw new AssertionError("hook must not run");
        }));
        assertEquals(List.of(), listing());
    }
}
