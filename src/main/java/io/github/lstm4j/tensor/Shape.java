package io.github.lstm4j.tensor;

import java.util.Arrays;

/**
 * Static helpers for row-major shapes: element counts, strides, dimension normalisation and
 * PyTorch's broadcasting rule. Nothing here allocates more than a shape-sized array.
 */
public final class Shape {

    private Shape() {
    }

    /**
     * Number of elements of a shape (1 for the scalar shape {@code []}).
     *
     * @throws IllegalArgumentException for a negative dimension or a count that does not fit an int
     */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + format(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major (C order) strides of a shape, in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /**
     * Turns a possibly negative dimension into its index in {@code [0, rank)}.
     *
     * @throws IllegalArgumentException naming the valid range when {@code dim} is out of it
     */
    public static int normalizeDim(int dim, int rank) {
        int lo = rank == 0 ? -1 : -rank;
        int hi = rank == 0 ? 0 : rank - 1;
        if (dim < lo || dim > hi) {
            throw new IllegalArgumentException(
                "dimension out of range (expected to be in range of [" + lo + ", " + hi + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + Math.max(rank, 1) : dim;
    }

    /**
     * The shape two operands broadcast to, by PyTorch's rule: shapes are aligned at their last
     * dimension and each pair of sizes must be equal or contain a 1.
     *
     * @throws IllegalArgumentException naming both shapes and the first dimension that clashes
     */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + format(a) + " and " + format(b)
                    + " cannot be broadcast: size " + da + " vs " + db + " at dimension " + (i - rank));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides for reading an operand of shape {@code in} as if it had the broadcast shape
     * {@code out}: 0 along every dimension the operand is broadcast over.
     */
    public static int[] broadcastStrides(int[] in, int[] out) {
        int[] s = new int[out.length];
        int[] own = strides(in);
        int shift = out.length - in.length;
        for (int i = 0; i < out.length; i++) {
            int j = i - shift;
            s[i] = (j < 0 || in[j] == 1) ? 0 : own[j];
        }
        return s;
    }

    /** {@code [2, 3]}: the shape as PyTorch prints a size. */
    public static String format(int[] shape) {
        return Arrays.toString(shape);
    }

    /**
     * For each element of a tensor of shape {@code shape} in row-major order, the offset
     * {@code sum(index[d] * strides[d])}. Used to gather strided or broadcast reads.
     */
    public static int[] offsets(int[] shape, int[] strides) {
        int n = numel(shape);
        int[] off = new int[n];
        int rank = shape.length;
        if (n == 0) {
            return off;
        }
        if (rank == 0) {
            return off;
        }
        int[] idx = new int[rank];
        int last = rank - 1;
        int inner = shape[last];
        int innerStride = strides[last];
        int base = 0;
        int pos = 0;
        while (true) {
            for (int j = 0, o = base; j < inner; j++, o += innerStride) {
                off[pos++] = o;
            }
            int d = last - 1;
            while (d >= 0) {
                idx[d]++;
                base += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * idx[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return off;
            }
        }
    }
}
