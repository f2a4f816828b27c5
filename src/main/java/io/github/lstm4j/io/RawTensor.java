package io.github.lstm4j.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor as stored in a safetensors file: a dtype, a shape and the elements in row-major
 * order. Immutable: factories copy their arguments and accessors return fresh arrays.
 *
 * <p>The elements are kept as little-endian bytes, exactly as in the file. A shape of {@code []}
 * is a scalar holding one element; a shape containing 0 holds none.
 */
public final class RawTensor {

    private final DType dtype;
    private final int[] shape;
    private final long numel;
    /** Little-endian element bytes; never exposed. */
    private final byte[] data;

    private RawTensor(DType dtype, int[] shape, long numel, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.numel = numel;
        this.data = data;
    }

    /**
     * Creates an {@code F32} tensor.
     *
     * @param shape dimensions, each &gt;= 0; {@code []} for a scalar
     * @param data  {@code product(shape)} elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is negative or the length does not match
     */
    public static RawTensor ofFloats(int[] shape, float[] data) {
        ByteBuffer b = allocate(DType.F32, shape, data.length);
        b.asFloatBuffer().put(data);
        return new RawTensor(DType.F32, shape.clone(), data.length, b.array());
    }

    /**
     * Creates an {@code F64} tensor.
     *
     * @param shape dimensions, each &gt;= 0; {@code []} for a scalar
     * @param data  {@code product(shape)} elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is negative or the length does not match
     */
    public static RawTensor ofDoubles(int[] shape, double[] data) {
        ByteBuffer b = allocate(DType.F64, shape, data.length);
        b.asDoubleBuffer().put(data);
        return new RawTensor(DType.F64, shape.clone(), data.length, b.array());
    }

    /**
     * Creates an {@code I64} tensor.
     *
     * @param shape dimensions, each &gt;= 0; {@code []} for a scalar
     * @param data  {@code product(shape)} elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is negative or the length does not match
     */
    public static RawTensor ofLongs(int[] shape, long[] data) {
        ByteBuffer b = allocate(DType.I64, shape, data.length);
        b.asLongBuffer().put(data);
        return new RawTensor(DType.I64, shape.clone(), data.length, b.array());
    }

    /**
     * Creates an {@code I32} tensor.
     *
     * @param shape dimensions, each &gt;= 0; {@code []} for a scalar
     * @param data  {@code product(shape)} elements in row-major order (copied)
     * @return the tensor
     * @throws IllegalArgumentException if a dimension is negative or the length does not match
     */
    public static RawTensor ofInts(int[] shape, int[] data) {
        ByteBuffer b = allocate(DType.I32, shape, data.length);
        b.asIntBuffer().put(data);
        return new RawTensor(DType.I32, shape.clone(), data.length, b.array());
    }

    /**
     * Wraps little-endian bytes the reader has already validated against dtype and shape; the
     * array is kept, not copied.
     */
    static RawTensor wrap(DType dtype, int[] shape, byte[] littleEndian) {
        return new RawTensor(dtype, shape.clone(), littleEndian.length / dtype.byteSize(), littleEndian);
    }

    /** The little-endian element bytes, shared (the writer copies them out and never modifies them). */
    byte[] bytes() {
        return data;
    }

    private static ByteBuffer allocate(DType dtype, int[] shape, int length) {
        long numel = checkedNumel(shape);
        if (numel != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel
                    + " elements, got " + length);
        }
        long bytes = numel * dtype.byteSize();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + bytes + " bytes, more than one Java array holds");
        }
        return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long checkedNumel(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows", e);
            }
        }
        return n;
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
     * Returns the number of elements: the product of the shape, 1 for a scalar.
     *
     * @return the element count
     */
    public long numel() {
        return numel;
    }

    /**
     * Returns the size of the elements in bytes, {@code numel() * dtype().byteSize()}.
     *
     * @return the byte count
     */
    public long byteCount() {
        return data.length;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the elements as floats, converting from any dtype ({@code F64} is rounded, large
     * integers lose precision).
     *
     * @return a new array of {@code numel()} elements
     */
    public float[] toFloatArray() {
        float[] out = new float[(int) numel];
        ByteBuffer b = buffer();
        switch (dtype) {
            case F32: b.asFloatBuffer().get(out); break;
            case F64: for (int i = 0; i < out.length; i++) { out[i] = (float) b.getDouble(8 * i); } break;
            case I64: for (int i = 0; i < out.length; i++) { out[i] = b.getLong(8 * i); } break;
            case I32: for (int i = 0; i < out.length; i++) { out[i] = b.getInt(4 * i); } break;
            default: throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * Returns the elements as doubles, converting from any dtype (exact except for {@code I64}
     * values beyond 2^53).
     *
     * @return a new array of {@code numel()} elements
     */
    public double[] toDoubleArray() {
        double[] out = new double[(int) numel];
        ByteBuffer b = buffer();
        switch (dtype) {
            case F32: for (int i = 0; i < out.length; i++) { out[i] = b.getFloat(4 * i); } break;
            case F64: b.asDoubleBuffer().get(out); break;
            case I64: for (int i = 0; i < out.length; i++) { out[i] = b.getLong(8 * i); } break;
            case I32: for (int i = 0; i < out.length; i++) { out[i] = b.getInt(4 * i); } break;
            default: throw new AssertionError(dtype);
        }
        return out;
    }

    /**
     * Returns the elements of an integer tensor ({@code I64} or {@code I32}) as longs.
     *
     * @return a new array of {@code numel()} elements
     * @throws IllegalStateException if the dtype is {@code F32} or {@code F64}
     */
    public long[] toLongArray() {
        requireInteger("toLongArray");
        long[] out = new long[(int) numel];
        ByteBuffer b = buffer();
        if (dtype == DType.I64) {
            b.asLongBuffer().get(out);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getInt(4 * i);
            }
        }
        return out;
    }

    /**
     * Returns the elements of an integer tensor ({@code I64} or {@code I32}) as ints.
     *
     * @return a new array of {@code numel()} elements
     * @throws IllegalStateException if the dtype is {@code F32} or {@code F64}
     * @throws ArithmeticException   if an {@code I64} element does not fit in an int
     */
    public int[] toIntArray() {
        requireInteger("toIntArray");
        int[] out = new int[(int) numel];
        ByteBuffer b = buffer();
        if (dtype == DType.I32) {
            b.asIntBuffer().get(out);
        } else {
            for (int i = 0; i < out.length; i++) {
                long v = b.getLong(8 * i);
                if (v != (int) v) {
                    throw new ArithmeticException("element " + i + " of an I64 tensor is " + v
                            + ", outside the int range");
                }
                out[i] = (int) v;
            }
        }
        return out;
    }

    private void requireInteger(String method) {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException(method + "() needs an integer tensor (I64 or I32), but this one is "
                    + dtype);
        }
    }

    /**
     * Two tensors are equal when dtype, shape and every element's bytes are equal (so a NaN equals
     * the same NaN, and 0.0 differs from -0.0).
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawTensor)) {
            return false;
        }
        RawTensor t = (RawTensor) o;
        return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return (dtype.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Arrays.hashCode(data);
    }

    /** Describes dtype and shape, not the elements: {@code RawTensor[F32, shape=[2, 3]]}. */
    @Override
    public String toString() {
        return "RawTensor[" + dtype + ", shape=" + SafetensorsHeader.shapeText(shape) + "]";
    }
}
