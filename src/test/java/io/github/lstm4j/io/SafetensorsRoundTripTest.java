package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static Map<String, RawTensor> everyKindOfTensor() {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        m.put("weight", RawTensor.ofFloats(new int[] {2, 3},
                new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f}));
        m.put("double", RawTensor.ofDoubles(new int[] {2}, new double[] {Math.PI, Double.NEGATIVE_INFINITY}));
        m.put("lengths", RawTensor.ofLongs(new int[] {3}, new long[] {Long.MIN_VALUE, 7, Long.MAX_VALUE}));
        m.put("ints", RawTensor.ofInts(new int[] {1, 2, 1}, new int[] {Integer.MIN_VALUE, 42}));
        m.put("scalar", RawTensor.ofFloats(new int[0], new float[] {0.25f}));
        m.put("scalar64", RawTensor.ofLongs(new int[0], new long[] {-1}));
        m.put("empty", RawTensor.ofDoubles(new int[] {0}, new double[0]));
        m.put("empty2d", RawTensor.ofInts(new int[] {3, 0}, new int[0]));
        m.put("naïve \"quoted\" \\ name\twith\ncontrol \u0001 and emoji \ud83d\ude00", RawTensor.ofInts(new int[] {1}, new int[] {5}));
        m.put("", RawTensor.ofFloats(new int[] {1}, new float[] {9}));
        return m;
    }

    private static Map<String, String> metadata() {
        Map<String, String> md = new LinkedHashMap<>();
        md.put("kind", "lstm");
        md.put("config", "{\"hidden_size\": 8, \"note\": \"a \\\"b\\\"\"}");
        md.put("unicode ключ", "значение ✓ \ud83d\ude00");
        md.put("empty", "");
        md.put("lone surrogate", "x\ud800y");
        return md;
    }

    @Test
    void writeThenReadGivesBackEveryDtypeScalarEmptyTensorAndMetadata() throws IOException {
        Map<String, RawTensor> tensors = everyKindOfTensor();
        Path file = dir.resolve("all.safetensors");
        Safetensors.write(file, tensors, metadata());
        SafetensorsContent back = Safetensors.read(file);

        assertEquals(new ArrayList<>(tensors.keySet()), new ArrayList<>(back.tensors().keySet()),
                "tensors come back in the order they were laid out");
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            assertEquals(e.getValue(), back.get(e.getKey()), e.getKey());
        }
        assertEquals(metadata(), back.metadata());
        assertEquals(new ArrayList<>(metadata().keySet()), new ArrayList<>(back.metadata().keySet()));
        assertArrayEquals(new long[] {Long.MIN_VALUE, 7, Long.MAX_VALUE}, back.get("lengths").toLongArray());
        assertEquals(1, back.get("scalar").numel());
        assertArrayEquals(new int[0], back.get("scalar").shape());
        assertArrayEquals(new int[] {3, 0}, back.get("empty2d").shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.get("weight").toFloatArray()[1]));
        assertArrayEquals(Files.readAllBytes(file), Safetensors.toBytes(tensors, metadata()),
                "write puts exactly toBytes on disk");
    }

    @Test
    void bytesFollowTheSpecLayout() {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        m.put("b", RawTensor.ofFloats(new int[] {2}, new float[] {1f, -2f}));
        m.put("a", RawTensor.ofLongs(new int[0], new long[] {0x0102030405060708L}));
        byte[] bytes = Safetensors.toBytes(m, Map.of("k", "v"));

        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertEquals(bytes.length, 8 + n + 16);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},"
                + "\"__metadata__\":{\"k\":\"v\"}}";
        assertEquals(json, header.stripTrailing());
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        assertTrue(header.length() - json.length() < 8);
        int data = (int) (8 + n);
        assertEquals(1f, b.getFloat(data));
        assertEquals(-2f, b.getFloat(data + 4));
        assertEquals(0x08, bytes[data + 8], "little-endian: lowest byte first");
        assertEquals(0x0102030405060708L, b.getLong(data + 8));
    }

    @Test
    void emptyMetadataIsLeftOutAndReadsBackEmpty() throws SafetensorsException {
        Map<String, RawTensor> m = Map.of("x", RawTensor.ofInts(new int[] {1}, new int[] {1}));
        for (Map<String, String> md : Arrays.asList(null, Map.<String, String>of())) {
            byte[] bytes = Safetensors.toBytes(m, md);
            assertFalse(new String(bytes, StandardCharsets.UTF_8).contains("__metadata__"));
            assertTrue(Safetensors.read(bytes).metadata().isEmpty());
        }
    }

    @Test
    void noTensorsAtAllIsAValidFile() throws SafetensorsException {
        byte[] bytes = Safetensors.toBytes(Map.of(), Map.of());
        assertEquals(16, bytes.length, "8-byte length + '{}' padded to 8");
        SafetensorsContent c = Safetensors.read(bytes);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.metadata().isEmpty());
    }

    @Test
    void aTensorNamedMetadataIsRefusedBeforeAnythingIsWritten() {
        Map<String, RawTensor> m = Map.of("__metadata__", RawTensor.ofInts(new int[] {1}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(m, null));
        Path file = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.write(file, m, null));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void readOrdersTensorsByDataOffsetNotByHeaderOrder() throws SafetensorsException {
        String header = "{\"second\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"first\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putInt(11).putInt(22);
        SafetensorsContent c = Safetensors.read(b.array());
        assertEquals(List.of("first", "second"), new ArrayList<>(c.tensors().keySet()));
        assertArrayEquals(new int[] {11}, c.get("first").toIntArray());
        assertArrayEquals(new int[] {22}, c.get("second").toIntArray());
    }

    @Test
    void contentMapsAreUnmodifiable() throws SafetensorsException {
        SafetensorsContent c = Safetensors.read(Safetensors.toBytes(everyKindOfTensor(), metadata()));
        assertThrows(UnsupportedOperationException.class, () -> c.tensors().remove("weight"));
        assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
    }

    @Test
    void missingTensorErrorNamesTheKeyAndListsAvailableOnes() throws SafetensorsException {
        SafetensorsContent c = Safetensors.read(Safetensors.toBytes(everyKindOfTensor(), null));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> c.get("wieght"));
        assertTrue(e.getMessage().contains("'wieght'"), e.getMessage());
        assertTrue(e.getMessage().contains("weight") && e.getMessage().contains("lengths"), e.getMessage());

        Map<String, RawTensor> many = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            many.put("t" + i, RawTensor.ofInts(new int[0], new int[] {i}));
        }
        SafetensorsContent big = Safetensors.read(Safetensors.toBytes(many, null));
        String msg = assertThrows(NoSuchElementException.class, () -> big.get("nope")).getMessage();
        assertTrue(msg.contains("t0") && msg.contains("more"), msg);
        assertFalse(msg.contains("t499"), "long key lists are cut short: " + msg);
    }

    @Test
    void headerReaderAgreesWithFullReader() throws IOException {
        Path file = dir.resolve("h.safetensors");
        Safetensors.write(file, everyKindOfTensor(), metadata());
        SafetensorsHeader h = Safetensors.readHeader(file);
        SafetensorsContent c = Safetensors.read(file);
        assertEquals(new ArrayList<>(c.tensors().keySet()), new ArrayList<>(h.tensors().keySet()));
        for (SafetensorsHeader.TensorInfo t : h.tensors().values()) {
            RawTensor r = c.get(t.name());
            assertEquals(r.dtype(), t.dtype());
            assertArrayEquals(r.shape(), t.shape());
            assertEquals(r.numel(), t.numel());
            assertEquals(r.byteCount(), t.byteCount());
        }
        assertEquals(metadata(), h.metadata());
        assertEquals(Files.size(file), 8 + h.headerLength() + h.dataLength());
    }
}
