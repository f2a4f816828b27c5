package io.github.lstm4j.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The validated header of a safetensors file: where each tensor lives in the data buffer, and the
 * {@code __metadata__} strings. Obtained from {@link Safetensors#readHeader(java.nio.file.Path)}
 * without reading any tensor data.
 *
 * <p>Validation (all failures are {@link SafetensorsException}s): the header is UTF-8; it is one
 * JSON object followed only by whitespace padding; keys are unique and at most {@link #MAX_ENTRIES};
 * every entry except {@code __metadata__} is an object with exactly {@code dtype} (a supported
 * name), {@code shape} (at most {@link #MAX_RANK} non-negative integers that fit in an int) and {@code data_offsets} (two non-negative integers,
 * begin &lt;= end); {@code __metadata__} maps strings to strings; each byte count equals
 * {@code product(shape) * dtype size} (computed without overflow); and the tensors, ordered by
 * offset, tile the data buffer from 0 to its exact size with no gap and no overlap.
 */
public final class SafetensorsHeader {

    /** Top-level key holding the string-to-string metadata. */
    static final String METADATA_KEY = "__metadata__";

    /** Most dimensions a tensor may have (NumPy's limit); keeps a hostile shape from growing without bound. */
    public static final int MAX_RANK = 64;

    /**
     * Most top-level entries (tensors plus metadata keys) a header may hold. Together with
     * {@link Safetensors#MAX_HEADER_LENGTH} this bounds the memory a hostile header can make the
     * parser use to a few hundred megabytes.
     */
    public static final int MAX_ENTRIES = 1_000_000;

    private static final int MAX_SHAPE_IN_MESSAGE = 8;

    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private final long headerLength;
    private final long dataLength;

    private SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata,
                              long headerLength, long dataLength) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.headerLength = headerLength;
        this.dataLength = dataLength;
    }

    /**
     * Returns the tensors, keyed by name, in the order of their data offsets.
     *
     * @return an unmodifiable map
     */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * Returns the {@code __metadata__} entries in file order; empty when the file has none.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Returns the header length N stored in the first 8 bytes (padding included).
     *
     * @return the JSON header size in bytes
     */
    public long headerLength() {
        return headerLength;
    }

    /**
     * Returns the size of the data buffer that follows the header.
     *
     * @return the data size in bytes
     */
    public long dataLength() {
        return dataLength;
    }

    /** Where one tensor lives: its dtype, shape and byte range within the data buffer. */
    public static final class TensorInfo {
        private final String name;
        private final DType dtype;
        private final int[] shape;
        private final long begin;
        private final long end;

        TensorInfo(String name, DType dtype, int[] shape, long begin, long end) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.end = end;
        }

        /**
         * Returns the tensor's name.
         *
         * @return the key in the header
         */
        public String name() {
            return name;
        }

        /**
         * Returns the element type.
         *
         * @return the dtype
         */
        public DType dtype() {
            return dtype;
        }

        /**
         * Returns the shape; {@code []} for a scalar.
         *
         * @return a copy of the shape
         */
        public int[] shape() {
            return shape.clone();
        }

        /**
         * Returns the number of elements, 1 for a scalar.
         *
         * @return product of the shape
         */
        public long numel() {
            return byteCount() / dtype.byteSize();
        }

        /**
         * Returns the first byte of the tensor, relative to the data buffer.
         *
         * @return the begin offset
         */
        public long begin() {
            return begin;
        }

        /**
         * Returns one past the last byte of the tensor, relative to the data buffer.
         *
         * @return the end offset (exclusive)
         */
        public long end() {
            return end;
        }

        /**
         * Returns the tensor's size in bytes, {@code end - begin}.
         *
         * @return the byte count
         */
        public long byteCount() {
            return end - begin;
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    // ---------------------------------------------------------------------------------------------
    // parsing

    /**
     * Parses and validates the header in {@code buf[start, start + length)} against a data buffer
     * of {@code dataLength} bytes.
     */
    static SafetensorsHeader parse(byte[] buf, int start, int length, long dataLength)
            throws SafetensorsException {
        Json.checkUtf8(buf, start, start + length);
        Json json = new Json(buf, start, start + length);
        if (json.peek() != '{') {
            throw json.error("header is not a JSON object: it starts with " + json.describeNext());
        }
        json.expect('{', () -> "'{'");
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        Map<String, String> metadata = null;
        if (!json.tryConsume('}')) {
            do {
                int keyAt = json.offset();
                String key = json.readString(() -> "a tensor name");
                json.expect(':', () -> "':' after key " + Json.quote(key));
                if (byName.size() + (metadata == null ? 0 : metadata.size()) >= MAX_ENTRIES) {
                    throw new SafetensorsException("header has more than " + MAX_ENTRIES
                            + " entries (tensors and metadata keys) at header byte " + keyAt);
                }
                if (METADATA_KEY.equals(key)) {
                    if (metadata != null) {
                        throw new SafetensorsException("duplicate key '__metadata__' at header byte " + keyAt);
                    }
                    metadata = parseMetadata(json, MAX_ENTRIES - byName.size());
                } else {
                    if (byName.containsKey(key)) {
                        throw new SafetensorsException("duplicate tensor " + Json.quote(key)
                                + " at header byte " + keyAt);
                    }
                    byName.put(key, parseEntry(json, key));
                }
            } while (json.tryConsume(','));
            json.expect('}', () -> "',' or '}' in the header object");
        }
        json.expectEnd("the header object");
        Map<String, TensorInfo> ordered = checkLayout(byName, dataLength);
        return new SafetensorsHeader(ordered, metadata == null ? new LinkedHashMap<>() : metadata,
                length, dataLength);
    }

    private static Map<String, String> parseMetadata(Json json, int maxKeys) throws SafetensorsException {
        if (json.peek() != '{') {
            throw json.error("__metadata__ must be an object of strings, got " + json.describeNext());
        }
        json.expect('{', () -> "'{'");
        Map<String, String> metadata = new LinkedHashMap<>();
        if (json.tryConsume('}')) {
            return metadata;
        }
        do {
            int keyAt = json.offset();
            if (metadata.size() >= maxKeys) {
                throw new SafetensorsException("header has more than " + MAX_ENTRIES
                        + " entries (tensors and metadata keys) at header byte " + keyAt);
            }
            String key = json.readString(() -> "a __metadata__ key");
            json.expect(':', () -> "':' after __metadata__ key " + Json.quote(key));
            if (json.peek() != '"') {
                throw json.error("__metadata__ value for key " + Json.quote(key)
                        + " must be a string, got " + json.describeNext());
            }
            String value = json.readString(() -> "a __metadata__ value");
            if (metadata.putIfAbsent(key, value) != null) {
                throw new SafetensorsException("duplicate key " + Json.quote(key)
                        + " in __metadata__ at header byte " + keyAt);
            }
        } while (json.tryConsume(','));
        json.expect('}', () -> "',' or '}' in __metadata__");
        return metadata;
    }

    private static TensorInfo parseEntry(Json json, String name) throws SafetensorsException {
        Supplier<String> tensor = () -> "tensor " + Json.quote(name);
        if (json.peek() != '{') {
            throw json.error("entry for " + tensor.get() + " must be an object, got " + json.describeNext());
        }
        json.expect('{', () -> "'{'");
        DType dtype = null;
        int[] shape = null;
        long[] offsets = null;
        if (!json.tryConsume('}')) {
            do {
                int fieldAt = json.offset();
                String field = json.readString(() -> "a field name of " + tensor.get());
                json.expect(':', () -> "':' after field " + Json.quote(field) + " of " + tensor.get());
                boolean duplicate;
                switch (field) {
                    case "dtype":
                        duplicate = dtype != null;
                        if (!duplicate) {
                            dtype = DType.parse(json.readString(() -> "the dtype of " + tensor.get()), name);
                        }
                        break;
                    case "shape":
                        duplicate = shape != null;
                        if (!duplicate) {
                            shape = parseShape(json, tensor);
                        }
                        break;
                    case "data_offsets":
                        duplicate = offsets != null;
                        if (!duplicate) {
                            offsets = parseOffsets(json, tensor);
                        }
                        break;
                    default:
                        throw new SafetensorsException(tensor.get() + " has unknown field " + Json.quote(field)
                                + " at header byte " + fieldAt + " (expected dtype, shape, data_offsets)");
                }
                if (duplicate) {
                    throw new SafetensorsException(tensor.get() + " has duplicate field " + Json.quote(field)
                            + " at header byte " + fieldAt);
                }
            } while (json.tryConsume(','));
            json.expect('}', () -> "',' or '}' in the entry of " + tensor.get());
        }
        if (dtype == null || shape == null || offsets == null) {
            throw new SafetensorsException(tensor.get() + " is missing field "
                    + (dtype == null ? "'dtype'" : shape == null ? "'shape'" : "'data_offsets'"));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new SafetensorsException(tensor.get() + " has data_offsets [" + begin + ", " + end
                    + "] with begin > end");
        }
        long expected;
        try {
            long numel = 1;
            for (int d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            expected = Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(tensor.get() + " has shape " + shapeText(shape) + " whose "
                    + dtype + " byte count overflows a 64-bit integer");
        }
        if (end - begin != expected) {
            throw new SafetensorsException(tensor.get() + " (" + dtype + ", shape " + shapeText(shape) + ") needs "
                    + expected + " bytes but its data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static int[] parseShape(Json json, Supplier<String> tensor) throws SafetensorsException {
        if (json.peek() != '[') {
            throw json.error("shape of " + tensor.get() + " must be an array, got " + json.describeNext());
        }
        json.expect('[', () -> "'['");
        int[] dims = new int[4];
        int n = 0;
        if (json.tryConsume(']')) {
            return new int[0];
        }
        do {
            if (n == MAX_RANK) {
                throw json.error("shape of " + tensor.get() + " has more than " + MAX_RANK + " dimensions");
            }
            int dim = n;
            long d = json.readNonNegative(() -> "dimension " + dim + " of the shape of " + tensor.get(),
                    Integer.MAX_VALUE);
            if (n == dims.length) {
                dims = Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = (int) d;
        } while (json.tryConsume(','));
        json.expect(']', () -> "',' or ']' in the shape of " + tensor.get());
        return Arrays.copyOf(dims, n);
    }

    private static long[] parseOffsets(Json json, Supplier<String> tensor) throws SafetensorsException {
        if (json.peek() != '[') {
            throw json.error("data_offsets of " + tensor.get() + " must be an array, got " + json.describeNext());
        }
        json.expect('[', () -> "'['");
        long[] offsets = new long[2];
        int n = 0;
        if (!json.tryConsume(']')) {
            do {
                if (n == 2) {
                    throw json.error("data_offsets of " + tensor.get() + " must hold exactly 2 integers, got more");
                }
                String which = n == 0 ? "begin" : "end";
                offsets[n] = json.readNonNegative(() -> which + " of data_offsets of " + tensor.get(), Long.MAX_VALUE);
                n++;
            } while (json.tryConsume(','));
            json.expect(']', () -> "',' or ']' in data_offsets of " + tensor.get());
        }
        if (n != 2) {
            throw json.error("data_offsets of " + tensor.get() + " must hold exactly 2 integers, got " + n);
        }
        return offsets;
    }

    /**
     * Orders the tensors by offset and checks that they tile {@code [0, dataLength)} exactly.
     */
    private static Map<String, TensorInfo> checkLayout(Map<String, TensorInfo> byName, long dataLength)
            throws SafetensorsException {
        List<TensorInfo> sorted = new ArrayList<>(byName.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        Map<String, TensorInfo> ordered = new LinkedHashMap<>();
        TensorInfo previous = null;
        long covered = 0;
        for (TensorInfo t : sorted) {
            if (t.end > dataLength) {
                throw new SafetensorsException("tensor " + Json.quote(t.name) + " has data_offsets ["
                        + t.begin + ", " + t.end + "] that run past the end of the data buffer ("
                        + dataLength + " bytes)");
            }
            if (t.begin > covered) {
                throw new SafetensorsException("gap in the data buffer: bytes [" + covered + ", " + t.begin
                        + ") belong to no tensor ("
                        + (previous == null
                            ? "the first tensor " + Json.quote(t.name) + " starts at " + t.begin
                            : "between " + Json.quote(previous.name) + " ending at " + covered + " and "
                                + Json.quote(t.name) + " starting at " + t.begin)
                        + ")");
            }
            if (t.begin < covered) {
                throw new SafetensorsException("tensor " + Json.quote(t.name) + " at [" + t.begin + ", "
                        + t.end + ") overlaps tensor " + Json.quote(previous.name) + " at ["
                        + previous.begin + ", " + previous.end + ")");
            }
            ordered.put(t.name, t);
            covered = t.end;
            previous = t;
        }
        if (covered != dataLength) {
            throw new SafetensorsException("the data buffer has " + dataLength + " bytes but the tensors cover only "
                    + covered + " (" + (dataLength - covered) + " trailing bytes belong to no tensor)");
        }
        return ordered;
    }

    /** Formats a shape for a message, eliding the middle of very long ones. */
    static String shapeText(int[] shape) {
        if (shape.length <= MAX_SHAPE_IN_MESSAGE) {
            return Arrays.toString(shape);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < MAX_SHAPE_IN_MESSAGE; i++) {
            sb.append(shape[i]).append(", ");
        }
        return sb.append("... (").append(shape.length).append(" dims)]").toString();
    }
}

