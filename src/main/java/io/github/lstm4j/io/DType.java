package io.github.lstm4j.io;

/**
 * The element types this library reads and writes, under their safetensors names.
 *
 * <p>Other dtypes of the safetensors format ({@code BF16}, {@code F16}, {@code U8}, {@code BOOL},
 * ...) are rejected by {@link #parse(String)} with a {@link SafetensorsException}.
 */
public enum DType {
    /** 32-bit IEEE 754 float, little-endian. */
    F32(4),
    /** 64-bit IEEE 754 float, little-endian. */
    F64(8),
    /** 64-bit two's-complement signed integer, little-endian. */
    I64(8),
    /** 32-bit two's-complement signed integer, little-endian. */
    I32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Returns whether this is a floating-point type ({@code F32} or {@code F64}).
     *
     * @return true for float types
     */
    public boolean isFloatingPoint() {
        return this == F32 || this == F64;
    }

    /**
     * Parses a safetensors dtype name, exactly as spelled in the format ({@code "F32"}, ...).
     *
     * @param name the dtype name from a file header
     * @return the dtype
     * @throws SafetensorsException if the name is not one of {@code F32, F64, I64, I32}
     */
    public static DType parse(String name) throws SafetensorsException {
        DType t = lookup(name);
        if (t == null) {
            throw new SafetensorsException("unsupported dtype " + Json.describe(name)
                    + " (supported: F32, F64, I64, I32)");
        }
        return t;
    }

    /** Like {@link #parse(String)}, naming the tensor the dtype belongs to in the message. */
    static DType parse(String name, String tensor) throws SafetensorsException {
        DType t = lookup(name);
        if (t == null) {
            throw new SafetensorsException("unsupported dtype " + Json.describe(name)
                    + " for tensor " + Json.quote(tensor) + " (supported: F32, F64, I64, I32)");
        }
        return t;
    }

    private static DType lookup(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "F32": return F32;
            case "F64": return F64;
            case "I64": return I64;
            case "I32": return I32;
            default: return null;
        }
    }
}
