package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.lstm4j.io.Inspect;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Systematic sweeps over hostile safetensors files, complementing the seeded random fuzzing in
 * {@code io.SafetensorsFuzzTest}: truncation at every byte, every single bit flip in the length
 * prefix and the header, and each listed class of malformed header (offsets overlapping,
 * reversed, out of range or leaving gaps; shapes whose product or byte count overflows a long;
 * negative dimensions; unknown dtypes; duplicate keys at every level; non-object headers; deep
 * nesting; invalid UTF-8; non-string metadata), each through the in-memory reader, the header
 * reader and the {@link Inspect} tool. Every case must end in {@link SafetensorsException}
 * (Inspect: exit 2 and one {@code FILE: error: MESSAGE} line per file), never another throwable.
 */
class HostileSafetensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ building files

    private static byte[] file(byte[] header, int dataBytes) {
        return ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(header.length).put(header).array();
    }

    private static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** Two F32 tensors of two elements each, {@code a} then {@code b}, with the given offsets. */
    private static byte[] twoTensors(String offsetsA, String offsetsB, int dataBytes) {
        return file("{" + entry("a", "F32", "[2]", offsetsA) + "," + entry("b", "F32", "[2]", offsetsB) + "}", dataBytes);
    }

    private static byte[] validFile() {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        m.put("lstm.weight_ih_l0", RawTensor.ofFloats(new int[] {4, 1}, new float[] {1, 2, 3, 4}));
        m.put("steps", RawTensor.ofLongs(new int[] {1}, new long[] {20}));
        m.put("loss", RawTensor.ofDoubles(new int[0], new double[] {0.25}));
        return Safetensors.toBytes(m, Map.of("format", "pt", "note", "h\u00e9llo"));
    }

    // ------------------------------------------------------------------ outcomes

    /** Reading from memory and reading only the header both reject the bytes with a message. */
    private static String rejected(String what, byte[] bytes) {
        String message = null;
        for (int reader = 0; reader < 2; reader++) {
            String name = reader == 0 ? "read" : "readHeader";
            boolean accepted = false;
            try {
                if (reader == 0) {
                    Safetensors.read(bytes);
                } else {
                    Safetensors.readHeader(bytes);
                }
                accepted = true;
            } catch (SafetensorsException e) {
                assertNotNull(e.getMessage(), what);
                assertFalse(e.getMessage().isBlank(), what);
                message = e.getMessage();
            } catch (Throwable t) {
                fail(what + ": " + name + " threw " + t, t);
            }
            if (accepted) {
                fail(what + ": accepted by " + name);
            }
        }
        return message;
    }

    /** Loads, or is rejected with a SafetensorsException; never anything else. */
    private static boolean loadsOrIsRejected(String what, byte[] bytes) {
        try {
            Safetensors.read(bytes);
            return true;
        } catch (SafetensorsException e) {
            assertNotNull(e.getMessage(), what);
            return false;
        } catch (Throwable t) {
            fail(what + ": threw " + t, t);
            return false;
        }
    }

    /**
     * Writes the files, runs Inspect on all of them at once and checks: exit 2, nothing on stdout
     * for them, exactly one {@code FILE: error: ...} line each, in order, and no stack trace.
     */
    private void inspectRejectsEach(List<byte[]> files) throws IOException {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path p = dir.resolve("bad" + i + ".safetensors");
            Files.write(p, files.get(i));
            args.add(p.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Inspect.run(args.toArray(new String[0]), o, e);
        }
        assertEquals(2, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        String[] lines = err.toString(StandardCharsets.UTF_8).split("\\R");
        assertEquals(files.size(), lines.length, "one line per rejected file");
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].startsWith(args.get(i) + ": error: "), lines[i]);
            assertFalse(lines[i].contains("\tat ") || lines[i].contains("Exception"), "no stack trace: " + lines[i]);
        }
    }

    // ------------------------------------------------------------------ sweeps

    @Test
    void truncationAtEveryByteIsRejectedAndInspectNamesEachFile() throws IOException {
        byte[] valid = validFile();
        assertTrue(loadsOrIsRejected("the valid file", valid));
        List<byte[]> cut = new ArrayList<>();
        for (int len = 0; len < valid.length; len++) {
            byte[] b = Arrays.copyOf(valid, len);
            rejected("truncated to " + len + " of " + valid.length + " bytes", b);
            cut.add(b);
        }
        inspectRejectsEach(cut);
    }

    @Test
    void everySingleBitFlipInTheLengthPrefixAndHeaderLoadsOrIsRejected() {
        byte[] valid = validFile();
        int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int rejectedCount = 0;
        for (int at = 0; at < headerEnd; at++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] b = valid.clone();
                b[at] ^= (byte) (1 << bit);
                if (!loadsOrIsRejected("bit " + bit + " of byte " + at + " flipped", b)) {
                    rejectedCount++;
                }
            }
        }
        assertTrue(rejectedCount > headerEnd * 4, "most flips in the header must be caught: " + rejectedCount);
    }

    @Test
    void offsetsOverlappingReversedOutOfRangeOrLeavingGapsAreRejected() throws IOException {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("reversed", twoTensors("[8,0]", "[8,16]", 16));
        cases.put("overlapping", twoTensors("[0,8]", "[4,12]", 16));
        cases.put("same range twice", twoTensors("[0,8]", "[0,8]", 8));
        cases.put("gap between tensors", twoTensors("[0,8]", "[12,20]", 20));
        cases.put("not starting at zero", twoTensors("[4,12]", "[12,20]", 20));
        cases.put("past the end of the data", twoTensors("[0,8]", "[8,24]", 16));
        cases.put("data longer than the tensors", twoTensors("[0,8]", "[8,16]", 20));
        cases.put("negative offset", twoTensors("[-8,0]", "[0,8]", 8));
        cases.put("offset beyond long", twoTensors("[0,8]", "[8,18446744073709551624]", 16));
        cases.put("offset at long max", twoTensors("[0,8]", "[8,9223372036854775807]", 16));
        cases.put("three offsets", twoTensors("[0,8,16]", "[8,16]", 16));
        cases.put("one offset", twoTensors("[0]", "[8,16]", 16));
        cases.put("fractional offset", twoTensors("[0,8.0]", "[8,16]", 16));
        cases.put("offset as string", twoTensors("[0,\"8\"]", "[8,16]", 16));
        cases.put("byte count not shape times size", twoTensors("[0,4]", "[4,12]", 12));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            rejected(c.getKey(), c.getValue());
        }
        inspectRejectsEach(new ArrayList<>(cases.values()));
    }

    @Test
    void shapesWhoseProductOrByteCountOverflowsALongAreRejected() throws IOException {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        String[][] shapes = {
            {"F32", "[4294967296,4294967296]"},            // 2^64 elements
            {"F32", "[3037000500,3037000500]"},            // just past 2^63
            {"F64", "[1152921504606846976]"},              // 2^60 elements, 2^63 bytes
            {"F32", "[2147483647,2147483647,2147483647]"},
            {"F32", "[65536,65536,65536,65536]"},
            {"F32", "[0,9223372036854775807,9223372036854775807]"}, // zero elements, but dims past int
            {"F32", "[9223372036854775808]"},
            {"F32", "[1e3]"},
            {"F32", "[-1]"},
            {"F32", "[2,-2]"},
            {"F32", "[-9223372036854775808]"},
        };
        for (String[] s : shapes) {
            cases.put(s[1], file("{" + entry("x", s[0], s[1], "[0,8]") + "}", 8));
        }
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            rejected("shape " + c.getKey(), c.getValue());
        }
        inspectRejectsEach(new ArrayList<>(cases.values()));
    }

    @Test
    void unknownDtypesAreRejected() throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (String dtype : new String[] {"F128", "f32", "F32 ", "", "FLOAT", "\\u0046\\u0033\\u0032x", "I4", "F8_E4M3X"}) {
            byte[] b = file("{" + entry("x", dtype, "[2]", "[0,8]") + "}", 8);
            rejected("dtype \"" + dtype + "\"", b);
            files.add(b);
        }
        byte[] numeric = file("{\"x\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        rejected("numeric dtype", numeric);
        files.add(numeric);
        inspectRejectsEach(files);
    }

    @Test
    void duplicateKeysAtEveryLevelAreRejected() throws IOException {
        String a = entry("a", "F32", "[2]", "[0,8]");
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("tensor name", file("{" + a + "," + entry("a", "F32", "[2]", "[8,16]") + "}", 16));
        cases.put("__metadata__ twice", file("{\"__metadata__\":{},\"__metadata__\":{}," + a + "}", 8));
        cases.put("metadata key", file("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}," + a + "}", 8));
        cases.put("dtype field", file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8));
        cases.put("escaped duplicate name", file("{" + a + ",\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[2],"
            + "\"data_offsets\":[8,16]}}", 16));
        for (Map.Entry<String, byte[]> c : cases.entrySet()) {
            rejected("duplicate " + c.getKey(), c.getValue());
        }
        inspectRejectsEach(new ArrayList<>(cases.values()));
    }

    @Test
    void headersThatAreNotAnObjectAreRejected() throws IOException {
        List<byte[]> files = new ArrayList<>();
        for (String h : new String[] {"", " ", "[]", "\"x\"", "1", "null", "true", "{", "}", "{}{}", "{}x", "[{}]",
            "{\"a\"}", "{\"a\":}", "{,}", "\u0000"}) {
            byte[] b = file(h, 0);
            rejected("header '" + h + "'", b);
            files.add(b);
        }
        inspectRejectsEach(files);
    }

    @Test
    void deepNestingIsRejectedWithoutRecursionAnywhereInTheHeader() throws IOException {
        String deep = "[".repeat(1_000_000);
        String deepObjects = "{\"k\":".repeat(200_000);
        String a = entry("a", "F32", "[2]", "[0,8]");
        List<byte[]> files = List.of(
            file(deep, 0),
            file(deepObjects, 0),
            file("{\"__metadata__\":" + deep + "}", 0),
            file("{\"__metadata__\":{\"k\":" + deepObjects + "}}", 0),
            file("{\"a\":{\"dtype\":\"F32\",\"shape\":" + deep + "}}", 8),
            file("{" + a + ",\"b\":" + deepObjects + "}", 8));
        for (byte[] b : files) {
            rejected("deeply nested header of " + b.length + " bytes", b);
        }
        inspectRejectsEach(files);
    }

    @Test
    void invalidUtf8InNamesKeysAndValuesIsRejected() throws IOException {
        byte[][] bad = {
            {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
        };
        List<byte[]> files = new ArrayList<>();
        for (byte[] seq : bad) {
            for (String[] around : new String[][] {
                {"{\"", "\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"},                       // name
                {"{\"__metadata__\":{\"", "\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"}, // key
                {"{\"__metadata__\":{\"k\":\"", "\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"}, // value
                {"{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", "}"},                            // outside strings
            }) {
                byte[] before = around[0].getBytes(StandardCharsets.UTF_8);
                byte[] after = around[1].getBytes(StandardCharsets.UTF_8);
                byte[] header = new byte[before.length + seq.length + after.length];
                System.arraycopy(before, 0, header, 0, before.length);
                System.arraycopy(seq, 0, header, before.length, seq.length);
                System.arraycopy(after, 0, header, before.length + seq.length, after.length);
                byte[] b = file(header, 8);
                rejected("bytes " + Arrays.toString(seq) + " in " + around[0], b);
                files.add(b);
            }
        }
        inspectRejectsEach(files);
    }

    @Test
    void nonStringMetadataIsRejected() throws IOException {
        String a = entry("a", "F32", "[2]", "[0,8]");
        List<byte[]> files = new ArrayList<>();
        for (String v : new String[] {"1", "-2.5e9", "null", "true", "{}", "[]", "{\"x\":\"y\"}", "[\"x\"]"}) {
            byte[] b = file("{\"__metadata__\":{\"k\":" + v + "}," + a + "}", 8);
            rejected("metadata value " + v, b);
            files.add(b);
        }
        for (String md : new String[] {"\"text\"", "1", "null", "[]", "[\"k\",\"v\"]"}) {
            byte[] b = file("{\"__metadata__\":" + md + "," + a + "}", 8);
            rejected("__metadata__ " + md, b);
            files.add(b);
        }
        inspectRejectsEach(files);
    }

    @Test
    void headerLengthHugeOrPastTheEndIsRejectedWithoutAllocatingIt() throws IOException {
        byte[] valid = validFile();
        long real = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        List<byte[]> files = new ArrayList<>();
        for (long n : new long[] {real + 1, valid.length - 7, valid.length, 1L << 31, 1L << 40, Long.MAX_VALUE, -1L,
            Long.MIN_VALUE, Safetensors.MAX_HEADER_LENGTH + 1, 0, 1, real - 1}) {
            byte[] b = valid.clone();
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
            rejected("header length " + Long.toUnsignedString(n), b);
            files.add(b);
        }
        inspectRejectsEach(files);
    }
}
