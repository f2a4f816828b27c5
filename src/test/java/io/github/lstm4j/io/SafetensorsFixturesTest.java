package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every PyTorch reference case must load, and rewriting it must reproduce the file exactly. */
class SafetensorsFixturesTest {

    static Path fixtureDir() {
        return Path.of(System.getProperty("lstm4j.fixtures", "../shared/fixtures/pytorch"));
    }

    static List<Path> fixtures() throws IOException {
        Path dir = fixtureDir();
        assertTrue(Files.isDirectory(dir), "fixture folder missing: " + dir.toAbsolutePath());
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors"))
                    .sorted().collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no .safetensors files in " + dir.toAbsolutePath());
            return files;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureParsesWithKindAndConfig() throws IOException {
        return fixtures().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            SafetensorsContent c = Safetensors.read(file);
            assertFalse(c.tensors().isEmpty());
            assertTrue(c.metadata().containsKey("kind"), "metadata lacks 'kind': " + c.metadata().keySet());
            assertTrue(c.metadata().containsKey("config"), "metadata lacks 'config': " + c.metadata().keySet());
            String config = c.metadata().get("config").strip();
            assertTrue(config.startsWith("{") && config.endsWith("}"), "config is not a JSON object: " + config);

            byte[] bytes = Files.readAllBytes(file);
            SafetensorsContent fromBytes = Safetensors.read(bytes);
            assertEquals(c.tensors(), fromBytes.tensors());
            assertEquals(c.metadata(), fromBytes.metadata());
            assertEquals(new ArrayList<>(c.tensors().keySet()),
                    new ArrayList<>(Safetensors.readHeader(file).tensors().keySet()));
            assertArrayEquals(bytes, Safetensors.toBytes(c.tensors(), c.metadata()),
                    "rewriting the fixture reproduces it byte for byte");
        }));
    }

    @Test
    void packedLengthsAreIntegerTensors() throws IOException {
        SafetensorsContent c = Safetensors.read(fixtureDir().resolve("lstm_packed.safetensors"));
        RawTensor lengths = c.get("input.lengths");
        assertEquals(DType.I64, lengths.dtype());
        for (long len : lengths.toLongArray()) {
            assertTrue(len > 0, "sequence length " + len);
        }
        assertEquals("lstm_packed", c.metadata().get("kind"));
        RawTensor x = c.get("input.x");
        assertEquals(DType.F32, x.dtype());
        assertEquals(x.numel(), x.toFloatArray().length);
    }
}
