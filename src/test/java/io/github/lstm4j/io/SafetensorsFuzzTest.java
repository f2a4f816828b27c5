package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
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
import java.util.Random;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing: every mutated file must either load or be rejected with a
 * {@link SafetensorsException}. Any other throwable fails the test with the seed and the index of
 * the mutation, which reproduce it ({@code -Dlstm4j.fuzz.seed=...}).
 */
class SafetensorsFuzzTest {

    private static final long SEED = Long.getLong("lstm4j.fuzz.seed", 20240611L);
    private static final int MUTATIONS = 5000;
    /** Every this many mutations, the file is also read from disk and must give the same outcome. */
    private static final int FILE_CHECK_EVERY = 25;

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------
    // valid starting points

    private static List<byte[]> validFiles() {
        List<byte[]> files = new ArrayList<>();
        Map<String, RawTensor> mixed = new LinkedHashMap<>();
        mixed.put("param.weight", RawTensor.ofFloats(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        mixed.put("input.lengths", RawTensor.ofLongs(new int[] {2}, new long[] {5, 3}));
        mixed.put("output.loss", RawTensor.ofDoubles(new int[0], new double[] {0.5}));
        mixed.put("empty", RawTensor.ofInts(new int[] {0, 4}, new int[0]));
        mixed.put("ids", RawTensor.ofInts(new int[] {1, 3}, new int[] {7, 8, 9}));
        Map<String, String> md = new LinkedHashMap<>();
        md.put("kind", "lstm");
        md.put("config", "{\"hidden_size\": 8, \"bias\": true}");
        md.put("ünïcode", "✓ \ud83d\ude00 \\ \"q\"");
        files.add(Safetensors.toBytes(mixed, md));
        files.add(Safetensors.toBytes(Map.of("x", RawTensor.ofFloats(new int[] {4}, new float[] {1, 2, 3, 4})), null));
        files.add(Safetensors.toBytes(Map.of(), Map.of("only", "metadata")));
        files.add(Safetensors.toBytes(Map.of(), null));
        Map<String, RawTensor> two = new LinkedHashMap<>();
        two.put("a", RawTensor.ofDoubles(new int[] {2, 1}, new double[] {1, 2}));
        two.put("b", RawTensor.ofLongs(new int[] {1}, new long[] {-1}));
        files.add(Safetensors.toBytes(two, Map.of("k", "v")));
        return files;
    }

    // ---------------------------------------------------------------------------------------------
    // mutations

    private static final String[] NUMBERS = {
        "0", "1", "-1", "-0", "01", "1.5", "1e3", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "99999999999999999999999",
        "", "+1", "0x10", "NaN",
    };
    private static final String[] DTYPES = {"F32", "F64", "I64", "I32", "BF16", "F16", "U8", "BOOL", "", "f32", "F32 "};
    private static final String[] NON_STRINGS = {"1", "null", "true", "false", "{}", "[]", "{\"a\":\"b\"}", "[\"x\"]", "-2.5e9"};
    private static final String[] JUNK = {
        "{", "}", "[", "]", "\"", "\\", ",", ":", " ", "\n", "\u0000", "\u001f", "\\u", "\\ud800",
        "\"__metadata__\":{}", "\"x\":", "null", "[[[[[[", "]]]]", "{\"", "\u00e9", "\ud83d",
    };
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
    };
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern DTYPE = Pattern.compile("\"dtype\":\"([^\"]*)\"");
    private static final Pattern STRING_VALUE = Pattern.compile(":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final String[] SHAPES = {
        "[]", "[0]", "[1]", "[2]", "[3]", "[4]", "[2,3]", "[3,2]", "[1,2]", "[-1]", "[0,2147483647]",
        "[2147483647,2147483647,2147483647]", "[65536,65536,65536,65536]", "[4294967296]", "[1,]", "[[2]]",
    };
    private static final Pattern SHAPE = Pattern.compile("\\[[-\\d,]*\\]");
    private static final Pattern ENTRY = Pattern.compile("\"[^\"]*\":\\{\"dtype\"[^}]*\\}");
    private static final Pattern OFFSETS = Pattern.compile("\\[\\d+,\\d+\\]");

    private static final class Parts {
        final String header;
        final byte[] data;

        Parts(byte[] file) {
            int n = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            header = new String(file, 8, n, StandardCharsets.UTF_8);
            data = Arrays.copyOfRange(file, 8 + n, file.length);
        }
    }

    private static byte[] assemble(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    private static byte[] withHeader(byte[] file, String header) {
        return assemble(header.getBytes(StandardCharsets.UTF_8), new Parts(file).data);
    }

    private static String replaceMatch(String s, Pattern p, int group, Random r, String replacement) {
        Matcher m = p.matcher(s);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(group), m.end(group)});
        }
        if (spans.isEmpty()) {
            return s;
        }
        int[] span = spans.get(r.nextInt(spans.size()));
        return s.substring(0, span[0]) + replacement + s.substring(span[1]);
    }

    private static String pick(String[] options, Random r) {
        return options[r.nextInt(options.length)];
    }

    private static final Map<String, BiFunction<byte[], Random, byte[]>> MUTATORS = new LinkedHashMap<>();

    static {
        MUTATORS.put("bit flips", (f, r) -> {
            byte[] out = f.clone();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                int at = r.nextInt(out.length);
                out[at] ^= (byte) (1 << r.nextInt(8));
            }
            return out;
        });
        MUTATORS.put("truncation", (f, r) -> {
            int n = (int) ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            int region = r.nextInt(3);
            int cut = region == 0 ? r.nextInt(8) : region == 1 ? 8 + r.nextInt(n) : 8 + n + r.nextInt(f.length - 8 - n + 1);
            return Arrays.copyOf(f, Math.min(cut, f.length));
        });
        MUTATORS.put("header length", (f, r) -> {
            long real = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            long[] choices = {0, 1, 7, f.length - 8, f.length - 7, real - 1 - r.nextInt(8), real + 1 + r.nextInt(8),
                Long.MAX_VALUE, -1L, Long.MIN_VALUE, 1L << 32, Integer.MAX_VALUE, (long) Integer.MAX_VALUE + 1,
                Safetensors.MAX_HEADER_LENGTH + 1, r.nextLong()};
            byte[] out = f.clone();
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, choices[r.nextInt(choices.length)]);
            return out;
        });
        MUTATORS.put("number edit", (f, r) -> {
            String h = new Parts(f).header;
            String replacement = r.nextInt(3) == 0 ? String.valueOf(r.nextInt(64)) : pick(NUMBERS, r);
            return withHeader(f, replaceMatch(h, NUMBER, 0, r, replacement));
        });
        MUTATORS.put("shape edit", (f, r) -> {
            String h = new Parts(f).header;
            String shape = r.nextInt(4) == 0 ? "[" + r.nextInt(5) + "," + r.nextInt(5) + "]" : pick(SHAPES, r);
            return withHeader(f, replaceMatch(h, SHAPE, 0, r, shape));
        });
        MUTATORS.put("dtype edit", (f, r) -> withHeader(f, replaceMatch(new Parts(f).header, DTYPE, 1, r, pick(DTYPES, r))));
        MUTATORS.put("duplicate key", (f, r) -> {
            String h = new Parts(f).header.stripTrailing();
            Matcher m = ENTRY.matcher(h);
            List<String> entries = new ArrayList<>();
            while (m.find()) {
                entries.add(m.group());
            }
            if (r.nextBoolean() && !entries.isEmpty()) {
                return withHeader(f, "{" + entries.get(r.nextInt(entries.size())) + "," + h.substring(1));
            }
            String field = pick(new String[] {"\"dtype\":\"F32\",", "\"shape\":[1],", "\"data_offsets\":[0,4],",
                "\"__metadata__\":{},"}, r);
            int at = h.indexOf('{', 1 + r.nextInt(Math.max(1, h.length() - 1)));
            return withHeader(f, at < 0 ? h : h.substring(0, at + 1) + field + h.substring(at + 1));
        });
        MUTATORS.put("deep nesting", (f, r) -> {
            String h = new Parts(f).header;
            String open = r.nextBoolean() ? "[" : "{\"k\":";
            String deep = open.repeat(1 + r.nextInt(50_000));
            if (r.nextInt(4) == 0) {
                return withHeader(f, deep);
            }
            int at = r.nextInt(h.length() + 1);
            return withHeader(f, h.substring(0, at) + deep + (r.nextBoolean() ? h.substring(at) : ""));
        });
        MUTATORS.put("invalid UTF-8", (f, r) -> {
            Parts p = new Parts(f);
            byte[] h = p.header.getBytes(StandardCharsets.UTF_8);
            byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
            int at = r.nextInt(h.length + 1);
            byte[] out = new byte[h.length + bad.length];
            System.arraycopy(h, 0, out, 0, at);
            System.arraycopy(bad, 0, out, at, bad.length);
            System.arraycopy(h, at, out, at + bad.length, h.length - at);
            return assemble(out, p.data);
        });
        MUTATORS.put("non-string metadata", (f, r) -> {
            String h = new Parts(f).header;
            return withHeader(f, replaceMatch(h, STRING_VALUE, 0, r, ":" + pick(NON_STRINGS, r)));
        });
        MUTATORS.put("junk insertion", (f, r) -> {
            String h = new Parts(f).header;
            int at = r.nextInt(h.length() + 1);
            return withHeader(f, h.substring(0, at) + pick(JUNK, r) + h.substring(at));
        });
        MUTATORS.put("range deletion", (f, r) -> {
            String h = new Parts(f).header;
            int a = r.nextInt(h.length() + 1);
            int b = Math.min(h.length(), a + r.nextInt(12));
            return withHeader(f, h.substring(0, a) + h.substring(b));
        });
        MUTATORS.put("offset swap", (f, r) -> {
            String h = new Parts(f).header;
            Matcher m = OFFSETS.matcher(h);
            List<String> all = new ArrayList<>();
            while (m.find()) {
                all.add(m.group());
            }
            if (all.isEmpty()) {
                return f;
            }
            return withHeader(f, replaceMatch(h, OFFSETS, 0, r, all.get(r.nextInt(all.size()))));
        });
        MUTATORS.put("padding junk", (f, r) -> {
            String h = new Parts(f).header.stripTrailing();
            return withHeader(f, h + pick(new String[] {"\t", "\n", "\r\n", "\u0000", "x", "}", ",", " {}", "  \u00a0"}, r));
        });
        MUTATORS.put("data resize", (f, r) -> {
            Parts p = new Parts(f);
            int len = Math.max(0, p.data.length + r.nextInt(17) - 8);
            return assemble(p.header.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(p.data, len));
        });
        MUTATORS.put("random bytes", (f, r) -> {
            byte[] out = new byte[r.nextInt(200)];
            r.nextBytes(out);
            if (out.length >= 8 && r.nextBoolean()) {
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(out.length - 7));
            }
            return out;
        });
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void mutatedFilesEitherLoadOrRaiseSafetensorsException() throws IOException {
        List<byte[]> seeds = validFiles();
        List<String> names = new ArrayList<>(MUTATORS.keySet());
        Random rnd = new Random(SEED);
        int accepted = 0;
        int rejected = 0;
        Map<String, int[]> perMutator = new LinkedHashMap<>();
        names.forEach(n -> perMutator.put(n, new int[2]));
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] base = seeds.get(rnd.nextInt(seeds.size()));
            String name = names.get(rnd.nextInt(names.size()));
            byte[] mutated = null;
            try {
                mutated = MUTATORS.get(name).apply(base, rnd);
                String outcome;
                try {
                    SafetensorsContent c = Safetensors.read(mutated);
                    checkUsable(c);
                    accepted++;
                    perMutator.get(name)[0]++;
                    outcome = "ok " + c.tensors().keySet() + " " + c.metadata();
                } catch (SafetensorsException e) {
                    assertNotNull(e.getMessage());
                    rejected++;
                    perMutator.get(name)[1]++;
                    outcome = "rejected: " + e.getMessage();
                }
                if (i % FILE_CHECK_EVERY == 0) {
                    assertEquals(outcome, outcomeFromFile(mutated), "reading from disk agrees with reading bytes");
                }
            } catch (Throwable t) {
                fail("seed " + SEED + ", mutation #" + i + " (" + name + ", "
                        + (mutated == null ? "?" : mutated.length) + " bytes) threw " + t, t);
            }
        }
        StringBuilder stats = new StringBuilder();
        perMutator.forEach((n, c) -> stats.append(String.format("%n  %-20s %5d loaded %5d rejected", n, c[0], c[1])));
        assertTrue(rejected > MUTATIONS / 2, "most mutations should be rejected:" + stats);
        assertTrue(accepted > 0, "some mutations (e.g. harmless bit flips in data) should load:" + stats);
        perMutator.forEach((n, c) -> assertTrue(c[1] > 0, "mutator '" + n + "' never produced a bad file:" + stats));
    }

    private String outcomeFromFile(byte[] bytes) throws IOException {
        Path p = Files.write(dir.resolve("m.safetensors"), bytes);
        try {
            SafetensorsContent c = Safetensors.read(p);
            return "ok " + c.tensors().keySet() + " " + c.metadata();
        } catch (SafetensorsException e) {
            return "rejected: " + e.getMessage();
        }
    }

    /** Whatever loads must be fully usable and survive a rewrite. */
    private static void checkUsable(SafetensorsContent c) throws SafetensorsException {
        for (RawTensor t : c.tensors().values()) {
            BigInteger product = BigInteger.ONE;
            for (int d : t.shape()) {
                product = product.multiply(BigInteger.valueOf(d));
            }
            assertEquals(product, BigInteger.valueOf(t.numel()), "numel is the exact product of " + t);
            assertEquals(t.numel(), t.toDoubleArray().length);
            assertEquals(t.numel() * t.dtype().byteSize(), t.byteCount());
        }
        SafetensorsContent again = Safetensors.read(Safetensors.toBytes(c.tensors(), c.metadata()));
        assertEquals(c.tensors(), again.tensors());
        assertEquals(c.metadata(), again.metadata());
    }
}
