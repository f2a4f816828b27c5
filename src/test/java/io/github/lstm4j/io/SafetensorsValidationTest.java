package io.github.lstm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule a reader must enforce; each checks the message names the problem. */
class SafetensorsValidationTest {

    @TempDir
    static Path dir;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** A file whose header is exactly {@code header} (no padding) followed by {@code dataBytes} zeros. */
    static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    static byte[] file(byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        return b.array();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":["
                + begin + "," + end + "]}";
    }

    /**
     * Asserts that reading from memory, reading from a file and reading only the header all reject
     * the bytes with the same SafetensorsException, whose message contains every fragment.
     */
    static SafetensorsException rejected(byte[] bytes, String... fragments) throws IOException {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(bytes));
        String msg = e.getMessage();
        for (String f : fragments) {
            assertTrue(msg.contains(f), () -> "message '" + msg + "' does not mention '" + f + "'");
        }
        Path p = Files.write(dir.resolve("case" + COUNTER.incrementAndGet() + ".safetensors"), bytes);
        assertEquals(msg, assertThrows(SafetensorsException.class, () -> Safetensors.read(p)).getMessage());
        assertEquals(msg, assertThrows(SafetensorsException.class, () -> Safetensors.readHeader(p)).getMessage());
        return e;
    }

    static SafetensorsException rejected(String header, int dataBytes, String... fragments) throws IOException {
        return rejected(file(header, dataBytes), fragments);
    }

    private static final String GOOD = entry("a", "F32", "[2]", 0, 8);

    @Test
    void theHelperFileIsValidWithoutMutation() throws SafetensorsException {
        assertEquals(2, Safetensors.read(file("{" + GOOD + "}", 8)).get("a").numel());
    }

    // ---------------------------------------------------------------------------------------------
    // the length prefix

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        for (int n = 0; n < 8; n++) {
            rejected(new byte[n], "has " + n + " bytes", "fewer than the 8");
        }
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] bytes = file("{}", 0);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 3);
        rejected(bytes, "header length 3", "larger than the file", "2 bytes follow", "file size 10");
    }

    @Test
    void headerLengthAboveSignedRangeIsReportedUnsigned() throws IOException {
        byte[] bytes = file("{}", 0);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        rejected(bytes, "header length 18446744073709551615", "larger than the file");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        rejected(bytes, "header length " + Long.MAX_VALUE);
    }

    @Test
    void headerLongerThanTheCapIsRefusedEvenIfTheFileIsLarger() throws IOException {
        Path p = dir.resolve("sparse.safetensors");
        long claimed = Safetensors.MAX_HEADER_LENGTH + 1;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(8 + claimed + 100);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(claimed).array());
        }
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.readHeader(p));
        assertTrue(e.getMessage().contains("header length " + claimed) && e.getMessage().contains("limit"),
                e.getMessage());
    }

    @Test
    void emptyHeaderIsNotAJsonObject() throws IOException {
        rejected("", 0, "not a JSON object", "end of the header");
    }

    // ---------------------------------------------------------------------------------------------
    // encoding and JSON syntax

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[][] bad = {
            {(byte) 0xFF},
            {(byte) 0xC0, (byte) 0xAF},                 // overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},    // an encoded surrogate
            {(byte) 0xE2, (byte) 0x82},                 // truncated sequence
        };
        for (byte[] b : bad) {
            byte[] h = new byte[8 + b.length];
            byte[] prefix = "{\"x".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(prefix, 0, h, 0, prefix.length);
            System.arraycopy(b, 0, h, prefix.length, b.length);
            h[prefix.length + b.length] = '"';
            for (int i = prefix.length + b.length + 1; i < h.length; i++) {
                h[i] = ' ';
            }
            rejected(file(h, 0), "not valid UTF-8", "header byte 3");
        }
    }

    @Test
    void headerThatIsNotAJsonObject() throws IOException {
        rejected("[]", 0, "not a JSON object", "array");
        rejected("\"x\"     ", 0, "not a JSON object", "string");
        rejected("42", 0, "not a JSON object", "number");
        rejected("null", 0, "not a JSON object", "null");
        rejected("        ", 0, "not a JSON object");
    }

    @Test
    void deepNestingIsRejectedWithoutRecursion() throws IOException {
        String deep = "[".repeat(200_000);
        rejected(deep, 0, "not a JSON object");
        rejected("{\"a\":" + deep, 0, "tensor 'a'", "must be an object");
        rejected("{\"a\":" + "{".repeat(200_000), 0, "tensor 'a'");
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":" + deep, 0, "shape of tensor 'a'", "an array");
        rejected("{\"__metadata__\":{\"k\":" + "{".repeat(200_000), 0, "must be a string", "'k'");
    }

    @Test
    void malformedJsonSyntax() throws IOException {
        rejected("{\"a\" " + GOOD.substring(4) + "}", 8, "expected ':'");
        rejected("{" + GOOD + ",}", 8, "expected a tensor name");
        rejected("{" + GOOD, 8, "expected ',' or '}'");
        rejected("{\"a", 0, "unterminated string");
        rejected("{\"a\tb\":1}", 0, "control character 0x09");
        rejected("{\"a\\qb\":1}", 0, "invalid escape");
        rejected("{\"a\\u12\":1}", 0, "\\u escape");
        rejected("{a:1}", 0, "expected a tensor name", "'a'");
        rejected("{" + GOOD + " " + GOOD.replace("\"a\"", "\"b\"") + "}", 16, "expected ',' or '}'");
    }

    @Test
    void trailingSpacesAreAcceptedButOtherTrailingBytesAreNot() throws IOException {
        assertEquals(1, Safetensors.read(file("{" + GOOD + "}" + " ".repeat(13), 8)).tensors().size());
        rejected("{" + GOOD + "} x", 8, "found 'x' after the header object");
        rejected("{" + GOOD + "}{}", 8, "found an object after the header object");
        byte[] nulPadded = ("{" + GOOD + "}\0\0\0").getBytes(StandardCharsets.UTF_8);
        rejected(file(nulPadded, 8), "0x00", "after the header object");
    }

    // ---------------------------------------------------------------------------------------------
    // keys and entries

    @Test
    void duplicateTensorNames() throws IOException {
        rejected("{" + GOOD + "," + entry("a", "F32", "[2]", 8, 16) + "}", 16, "duplicate tensor 'a'");
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        rejected("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "duplicate key '__metadata__'");
        rejected("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, "duplicate key 'k' in __metadata__");
    }

    @Test
    void duplicateFieldInsideAnEntry() throws IOException {
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a'", "duplicate field 'shape'");
    }

    @Test
    void entryThatIsNotAnObject() throws IOException {
        rejected("{\"a\":5}", 0, "entry for tensor 'a' must be an object", "number");
        rejected("{\"a\":\"F32\"}", 0, "entry for tensor 'a' must be an object", "string");
    }

    @Test
    void entryMissingAField() throws IOException {
        rejected("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a' is missing field 'dtype'");
        rejected("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, "tensor 'a' is missing field 'shape'");
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "tensor 'a' is missing field 'data_offsets'");
        rejected("{\"a\":{}}", 0, "tensor 'a' is missing field");
    }

    @Test
    void entryWithAnUnknownField() throws IOException {
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"strides\":[1]}}", 8,
                "tensor 'a' has unknown field 'strides'");
    }

    @Test
    void unsupportedDtype() throws IOException {
        rejected("{" + entry("x", "BF16", "[2]", 0, 4) + "}", 4, "unsupported dtype BF16 for tensor 'x'");
        rejected("{" + entry("x", "f32", "[2]", 0, 8) + "}", 8, "unsupported dtype f32 for tensor 'x'");
        rejected("{\"x\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "dtype of tensor 'x'", "a string");
    }

    @Test
    void shapeMustBeAnArrayOfNonNegativeIntsThatFitInAnInt() throws IOException {
        rejected("{" + entry("s", "F32", "7", 0, 28) + "}", 28, "shape of tensor 's' must be an array");
        rejected("{" + entry("s", "F32", "[2,-1]", 0, 0) + "}", 0, "dimension 1", "tensor 's'", "non-negative", "-1");
        rejected("{" + entry("s", "F32", "[2147483648]", 0, 0) + "}", 0, "tensor 's'", "too large", "2147483648");
        rejected("{" + entry("s", "F32", "[1.5]", 0, 0) + "}", 0, "tensor 's'", "must be an integer", "1.5");
        rejected("{" + entry("s", "F32", "[1e2]", 0, 400) + "}", 400, "must be an integer", "1e2");
        rejected("{" + entry("s", "F32", "[\"2\"]", 0, 8) + "}", 8, "tensor 's'", "a string");
        rejected("{" + entry("s", "F32", "[01]", 0, 4) + "}", 4, "leading zero");
        rejected("{" + entry("s", "F32", "[2,]", 0, 8) + "}", 8, "tensor 's'");
        rejected("{" + entry("s", "F32", "[true]", 0, 4) + "}", 4, "boolean");
    }

    @Test
    void shapeWithMoreDimensionsThanTheRankLimit() throws IOException {
        String ones = "[" + "1,".repeat(SafetensorsHeader.MAX_RANK) + "1]";
        rejected("{" + entry("r", "I32", ones, 0, 4) + "}", 4, "shape of tensor 'r'", "more than 64 dimensions");
        String atLimit = "[" + "1,".repeat(SafetensorsHeader.MAX_RANK - 1) + "1]";
        assertEquals(SafetensorsHeader.MAX_RANK,
                Safetensors.read(file("{" + entry("r", "I32", atLimit, 0, 4) + "}", 4)).get("r").shape().length);
    }

    @Test
    void headerWithMoreEntriesThanTheLimit() throws IOException {
        StringBuilder sb = new StringBuilder("{\"__metadata__\":{");
        for (int i = 0; i <= SafetensorsHeader.MAX_ENTRIES; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":\"\"");
        }
        byte[] bytes = file(sb.append("}}").toString(), 0);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(bytes));
        assertTrue(e.getMessage().contains("more than 1000000 entries"), e.getMessage());
    }

    @Test
    void dataOffsetsMustBeTwoOrderedNonNegativeInts() throws IOException {
        rejected("{\"o\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8, "tensor 'o'", "exactly 2", "got 1");
        rejected("{\"o\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}}", 8, "tensor 'o'", "exactly 2");
        rejected("{\"o\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[]}}", 8, "exactly 2", "got 0");
        rejected("{\"o\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{}}}", 8, "data_offsets of tensor 'o'", "an array");
        rejected("{" + entry("o", "F32", "[2]", -8, 0) + "}", 8, "begin of data_offsets of tensor 'o'", "non-negative");
        rejected("{" + entry("o", "F32", "[0]", 8, 0) + "}", 8, "tensor 'o'", "[8, 0]", "begin > end");
        rejected("{\"o\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,9223372036854775808]}}", 8,
                "end of data_offsets of tensor 'o'", "too large");
    }

    @Test
    void metadataMustMapStringsToStrings() throws IOException {
        rejected("{\"__metadata__\":[]}", 0, "__metadata__ must be an object", "array");
        rejected("{\"__metadata__\":\"x\"}", 0, "__metadata__ must be an object");
        rejected("{\"__metadata__\":{\"epochs\":3}}", 0, "value for key 'epochs' must be a string", "number");
        rejected("{\"__metadata__\":{\"cfg\":{\"a\":\"b\"}}}", 0, "'cfg' must be a string", "object");
        rejected("{\"__metadata__\":{\"x\":null}}", 0, "'x' must be a string", "null");
        rejected("{\"__metadata__\":{\"x\":true}}", 0, "'x' must be a string", "boolean");
        rejected("{\"__metadata__\":{\"x\":[\"a\"]}}", 0, "'x' must be a string", "array");
    }

    // ---------------------------------------------------------------------------------------------
    // sizes and layout

    @Test
    void byteCountMustEqualShapeTimesDtypeSize() throws IOException {
        rejected("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", 20,
                "tensor 'w'", "F32", "[2, 3]", "needs 24 bytes", "[0, 20]", "span 20");
        rejected("{" + entry("w", "F64", "[]", 0, 4) + "}", 4, "tensor 'w'", "needs 8 bytes", "span 4");
    }

    @Test
    void shapeWhoseByteCountOverflows() throws IOException {
        rejected("{" + entry("huge", "F64", "[2147483647,2147483647,2147483647]", 0, 8) + "}", 8,
                "tensor 'huge'", "[2147483647, 2147483647, 2147483647]", "overflows");
        // 2^64 elements: without overflow checks the count wraps to 0 and would pass as an empty tensor
        rejected("{" + entry("wrap", "F32", "[65536,65536,65536,65536]", 0, 0) + "}", 0, "tensor 'wrap'", "overflows");
    }

    @Test
    void hugeClaimedTensorInATinyFileIsRefusedWithoutAllocating() throws IOException {
        long bytes = 2147483647L * 8 * 8;
        rejected("{" + entry("big", "F64", "[2147483647,8]", 0, bytes) + "}", 0,
                "tensor 'big'", "run past the end of the data buffer (0 bytes)");
    }

    @Test
    void offsetsWithAGapBetweenTensors() throws IOException {
        rejected("{" + entry("a", "I32", "[1]", 0, 4) + "," + entry("b", "I32", "[1]", 8, 12) + "}", 12,
                "gap", "[4, 8)", "'a'", "'b'");
    }

    @Test
    void offsetsThatDoNotStartAtZero() throws IOException {
        rejected("{" + entry("a", "I32", "[1]", 4, 8) + "}", 8, "gap", "[0, 4)", "first tensor 'a'");
    }

    @Test
    void overlappingOffsets() throws IOException {
        rejected("{" + entry("a", "I32", "[2]", 0, 8) + "," + entry("b", "I32", "[2]", 4, 12) + "}", 12,
                "tensor 'b' at [4, 12) overlaps tensor 'a' at [0, 8)");
        rejected("{" + entry("a", "I32", "[2]", 0, 8) + "," + entry("z", "I32", "[0]", 4, 4) + "}", 8,
                "'z'", "overlaps", "'a'");
    }

    @Test
    void offsetsRunningPastTheDataBuffer() throws IOException {
        rejected("{" + entry("a", "I32", "[2]", 0, 8) + "}", 4, "tensor 'a'", "[0, 8]", "past the end", "(4 bytes)");
    }

    @Test
    void dataBufferLongerThanTheTensors() throws IOException {
        rejected("{" + entry("a", "I32", "[2]", 0, 8) + "}", 12, "12 bytes", "cover only 8", "4 trailing");
        rejected("{}", 1, "1 bytes", "cover only 0");
    }

    @Test
    void zeroSizeTensorsAndScalarsAreAccepted() throws IOException {
        SafetensorsContent c = Safetensors.read(file("{" + entry("e", "F32", "[0,5]", 0, 0) + ","
                + entry("s", "I64", "[]", 0, 8) + "," + entry("e2", "F64", "[0]", 8, 8) + "}", 8));
        assertEquals(0, c.get("e").numel());
        assertEquals(1, c.get("s").numel());
        assertEquals(0, c.get("e2").numel());
    }

    @Test
    void fileTruncatedInsideTheDataIsRejected() throws IOException {
        byte[] good = Safetensors.toBytes(java.util.Map.of("t", RawTensor.ofFloats(new int[] {4}, new float[4])), null);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        rejected(cut, "tensor 't'", "past the end", "(13 bytes)");
    }

    @Test
    void controlCharactersInNamesAreEscapedInMessages() throws IOException {
        SafetensorsException e = rejected("{" + entry("a\\nb\\u001b[31m", "BF16", "[1]", 0, 2) + "}", 2,
                "unsupported dtype BF16");
        assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("\u001b"), e.getMessage());
    }
}
