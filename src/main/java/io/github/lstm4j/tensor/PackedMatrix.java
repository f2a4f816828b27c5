package io.github.lstm4j.tensor;

/**
 * The right operand of a product, op(B) of size {@code k x n}, copied once into the layout that
 * one provider's kernels read, so that many products with the same B (the steps of a recurrent
 * layer) skip the copying. Made by {@link Kernels#pack}, used by
 * {@link Kernels#gemm(int, float[], int, int, PackedMatrix, float, float[], int, int)}.
 *
 * <p>A packed matrix is a snapshot: later changes to the array it was packed from are not seen.
 * It may be shared between threads until it is {@linkplain #release() released}.
 */
public final class PackedMatrix {

    private final KernelProvider owner;
    private final int k;
    private final int n;
    private final int offset;
    private float[] data;

    PackedMatrix(KernelProvider owner, int k, int n, float[] data) {
        this(owner, k, n, data, 0);
    }

    PackedMatrix(KernelProvider owner, int k, int n, float[] data, int offset) {
        this.owner = owner;
        this.k = k;
        this.n = n;
        this.data = data;
        this.offset = offset;
    }

    /** Rows of op(B), the inner dimension of the products it takes part in. */
    public int rows() {
        return k;
    }

    /** Columns of op(B), the columns of the products' results. */
    public int cols() {
        return n;
    }

    /** The provider whose layout {@link #data} is in. */
    KernelProvider owner() {
        return owner;
    }

    /** The packed values, in the owner's layout. */
    float[] data() {
        if (data == null) {
            throw new IllegalStateException("this packed matrix was released");
        }
        return data;
    }

    /** The index in {@link #data} where the owner's layout starts. */
    int offset() {
        return offset;
    }

    /**
     * Hands the packed values back to this thread's {@link ArrayPool} for reuse; the matrix must
     * not be used afterwards (it throws {@link IllegalStateException} if it is).
     */
    public void release() {
        float[] d = data;
        data = null;
        ArrayPool.give(d);
    }
}
