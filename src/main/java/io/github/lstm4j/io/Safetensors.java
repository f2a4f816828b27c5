package io.github.lstm4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the safetensors format, trusting nothing in the file.
 *
 * <pre>
 * bytes 0..7     N, unsigned 64-bit little-endian: the header length
 * bytes 8..8+N   UTF-8 JSON object, padded with spaces:
 *                  "name": {"dtype": "F32", "shape": [d0, d1], "data_offsets": [begin, end]}
 *                  "__metadata__": {"key": "value", ...}          (optional)
 * bytes 8+N..    the data buffer; offsets are relative to its start, end exclusive
 * </pre>
 *
 * <p>Readers check the header length against the actual size of the file before allocating
 * anything, validate the whole header (see {@link SafetensorsHeader}) and only then allocate and
 * read the tensor data, whose total size is by then known to equal what the file holds. Every
 * problem with the content is a {@link SafetensorsException}.
 *
 * <p>Writers lay tensors out contiguously in the map's iteration order, pad the header with spaces
 * to a multiple of 8 bytes and replace the target file atomically.
 *
 * <p>Thread-safe: the class holds no state; concurrent reads of one file are fine, and a writer
 * replaces its target atomically, so a reader sees the old file or the new one.
 */
public final class Safetensors {

    /** The largest header accepted, in bytes, whatever the size of the file. */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;

    /** Largest byte array the JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final Logger log = LoggerFactory.getLogger(Safetensors.class);

    private Safetensors() {
    }

    // ---------------------------------------------------------------------------------------------
    // reading

    /**
     * Reads a whole safetensors file.
     *
     * @param file the file
     * @return its tensors and metadata
     * @throws SafetensorsException if the content is malformed (see {@link SafetensorsHeader})
     * @throws IOException          if the file cannot be read
     */
    public static SafetensorsContent read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = readHeader(ch);
            long dataStart = 8 + header.headerLength();
            LinkedHashMap<String, RawTensor> tensors = new LinkedHashMap<>();
            for (SafetensorsHeader.TensorInfo t : header.tensors().values()) {
                if (t.byteCount() > MAX_ARRAY) {
                    throw new SafetensorsException("tensor " + Json.quote(t.name()) + " has " + t.byteCount()
                            + " bytes; tensors over " + MAX_ARRAY + " bytes are not supported");
                }
                byte[] data = new byte[(int) t.byteCount()];
                readFully(ch, ByteBuffer.wrap(data), dataStart + t.begin());
                tensors.put(t.name(), RawTensor.wrap(t.dtype(), t.shape(), data));
            }
            return new SafetensorsContent(tensors, header.metadata());
        }
    }

    /**
     * Reads safetensors content from memory, with the same validation as {@link #read(Path)}.
     *
     * @param bytes the whole file
     * @return its tensors and metadata
     * @throws SafetensorsException if the content is malformed
     */
    public static SafetensorsContent read(byte[] bytes) throws SafetensorsException {
        SafetensorsHeader header = readHeader(bytes);
        int dataStart = (int) (8 + header.headerLength());
        LinkedHashMap<String, RawTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.TensorInfo t : header.tensors().values()) {
            byte[] data = Arrays.copyOfRange(bytes, dataStart + (int) t.begin(), dataStart + (int) t.end());
            tensors.put(t.name(), RawTensor.wrap(t.dtype(), t.shape(), data));
        }
        return new SafetensorsContent(tensors, header.metadata());
    }

    /**
     * Reads and validates only the header of a file (names, dtypes, shapes, offsets, metadata);
     * no tensor data is read.
     *
     * @param file the file
     * @return the validated header
     * @throws SafetensorsException if the content is malformed
     * @throws IOException          if the file cannot be read
     */
    public static SafetensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch);
        }
    }

    /**
     * Validates the header of in-memory safetensors content; the data is not copied.
     *
     * @param bytes the whole file
     * @return the validated header
     * @throws SafetensorsException if the content is malformed
     */
    public static SafetensorsHeader readHeader(byte[] bytes) throws SafetensorsException {
        Objects.requireNonNull(bytes, "bytes");
        checkFileSize(bytes.length);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(n, bytes.length);
        return SafetensorsHeader.parse(bytes, 8, (int) n, bytes.length - 8 - n);
    }

    private static SafetensorsHeader readHeader(FileChannel ch) throws IOException {
        long size = ch.size();
        checkFileSize(size);
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, prefix, 0);
        long n = prefix.getLong(0);
        checkHeaderLength(n, size);
        byte[] header = new byte[(int) n];
        readFully(ch, ByteBuffer.wrap(header), 8);
        return SafetensorsHeader.parse(header, 0, header.length, size - 8 - n);
    }

    private static void checkFileSize(long size) throws SafetensorsException {
        if (size < 8) {
            throw new SafetensorsException("file has " + size
                    + " bytes, fewer than the 8 bytes of the header length");
        }
    }

    /** Checks the header length (read as unsigned) against the file size and the cap. */
    private static void checkHeaderLength(long n, long fileSize) throws SafetensorsException {
        if (n < 0 || n > fileSize - 8) {
            throw new SafetensorsException("header length " + Long.toUnsignedString(n)
                    + " is larger than the file: only " + (fileSize - 8)
                    + " bytes follow the 8-byte length (file size " + fileSize + ")");
        }
        if (n > MAX_HEADER_LENGTH) {
            throw new SafetensorsException("header length " + n + " exceeds the limit of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
    }

    /** Fills {@code dst} from {@code position}; a short file here means it changed under us. */
    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, at);
            if (r < 0) {
                throw new SafetensorsException("file ended at byte " + at + " while " + dst.remaining()
                        + " more bytes were expected (was it modified while being read?)");
            }
            at += r;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // writing

    /**
     * Called by the writer after all bytes went to the temporary file and before it is forced to
     * disk and renamed over the target; tests use it to fail a write midway.
     */
    @FunctionalInterface
    interface WriteHook {
        /**
         * Runs after the data is written and before the file is forced and renamed.
         *
         * @param tempFile the temporary file
         * @param channel  its open channel
         * @throws IOException to make the write fail
         */
        void beforeCommit(Path tempFile, FileChannel channel) throws IOException;
    }

    /**
     * Encodes tensors and metadata in the safetensors format, exactly as {@link #write} puts them
     * on disk.
     *
     * @param tensors  tensors in the order to lay them out; no name may be {@code __metadata__}
     * @param metadata string metadata, stored under {@code __metadata__} when non-empty; may be null
     * @return the file's bytes
     * @throws IllegalArgumentException if a name is {@code __metadata__} or the result would
     *                                  exceed the size of a Java array
     */
    public static byte[] toBytes(Map<String, RawTensor> tensors, Map<String, String> metadata) {
        byte[] header = encodeHeader(tensors, metadata);
        long total = 8L + header.length;
        for (RawTensor t : tensors.values()) {
            total += t.byteCount();
        }
        if (total > MAX_ARRAY) {
            throw new IllegalArgumentException("safetensors content of " + total
                    + " bytes does not fit in one byte array; use write(Path, ...)");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        for (RawTensor t : tensors.values()) {
            out.put(t.bytes());
        }
        return out.array();
    }

    /**
     * Writes a safetensors file atomically: the bytes go to a temporary file in the same directory,
     * which is forced to disk and then renamed over {@code file}. If anything fails, the previous
     * file (if any) is untouched and the temporary file is deleted.
     *
     * @param file     the target; replaced if it exists
     * @param tensors  tensors in the order to lay them out; no name may be {@code __metadata__}
     * @param metadata string metadata, stored under {@code __metadata__} when non-empty; may be null
     * @throws IOException              if writing fails
     * @throws IllegalArgumentException if a name is {@code __metadata__}
     */
    public static void write(Path file, Map<String, RawTensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, (tmp, ch) -> { });
    }

    /** {@link #write(Path, Map, Map)} with a hook run before the commit. */
    static void write(Path file, Map<String, RawTensor> tensors, Map<String, String> metadata, WriteHook hook)
            throws IOException {
        byte[] header = encodeHeader(tensors, metadata);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || target.getFileName() == null) {
            throw new IllegalArgumentException("not a file path: " + file);
        }
        Path tmp = null;
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                tmp = dir.resolve("." + target.getFileName() + ".tmp-"
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null;
                    if (attempt >= 10) {
                        throw e;
                    }
                }
            }
            try (FileChannel out = ch) {
                ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, prefix);
                writeFully(out, ByteBuffer.wrap(header));
                for (RawTensor t : tensors.values()) {
                    writeFully(out, ByteBuffer.wrap(t.bytes()));
                }
                hook.beforeCommit(tmp, out);
                out.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                log.info("atomic rename unsupported in {}, replacing {} non-atomically", dir, target);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /** Makes the rename durable where the platform allows forcing a directory (not on Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            log.debug("could not sync directory {}: {}", dir, e.toString());
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            ch.write(src);
        }
    }

    /** Builds the JSON header, padded with spaces to a multiple of 8 bytes. */
    private static byte[] encodeHeader(Map<String, RawTensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        StringBuilder sb = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            RawTensor t = Objects.requireNonNull(e.getValue(), () -> "tensor " + Json.quote(name));
            if (SafetensorsHeader.METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("a tensor may not be named __metadata__");
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            Json.appendString(sb, name);
            sb.append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ",").append(shape[i]);
            }
            sb.append("],\"data_offsets\":[").append(offset).append(',');
            offset += t.byteCount();
            sb.append(offset).append("]}");
        }
        if (metadata != null && !metadata.isEmpty()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("\"__metadata__\":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Json.appendString(sb, Objects.requireNonNull(e.getKey(), "metadata key"));
                sb.append(':');
                Json.appendString(sb, Objects.requireNonNull(e.getValue(),
                        () -> "metadata value for " + Json.quote(e.getKey())));
            }
            sb.append('}');
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        long padded = (json.length + 7L) & ~7L;
        if (padded > MAX_HEADER_LENGTH) {
            throw new IllegalArgumentException("header of " + padded + " bytes exceeds the limit of "
                    + MAX_HEADER_LENGTH + " bytes that readers accept");
        }
        byte[] header = Arrays.copyOf(json, (int) padded);
        Arrays.fill(header, json.length, header.length, (byte) ' ');
        return header;
    }
}
