package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * Indexing by integer positions held in float tensors (lstm4j tensors are float32 only):
 * converting and validating such indices, and {@link #indexSelect}, the gather behind
 * {@code Embedding}, whose backward scatter-adds into the selected slices.
 */
public final class IndexOps {

    private IndexOps() {
    }

    /**
     * The values of {@code indices} as ints, row-major, after checking that each is an exact integer
     * that fits an int. Range checks are the caller's, which knows what the indices mean.
     *
     * @param what names the tensor in error messages, e.g. {@code "Embedding input"}
     * @throws IllegalArgumentException naming the first non-integral value and its position
     */
    public static int[] toIndices(Tensor indices, String what) {
        float[] v = indices.data();
        int[] out = new int[v.length];
        int[] shape = indices.shape();
        for (int i = 0; i < v.length; i++) {
            float x = v[i];
            if (x != Math.rint(x) || Float.isInfinite(x) || Math.abs(x) > 1 << 30) {
                throw new IllegalArgumentException(what + " must hold integer indices, got " + x + " at position "
                    + position(i, shape));
            }
            out[i] = (int) x;
        }
        return out;
    }

    /** The multi-index of flat position {@code flat} in a row-major tensor of {@code shape}, as text ({@code [1, 2]}). */
    public static String position(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
            rest = shape[d] == 0 ? 0 : rest / shape[d];
        }
        return Arrays.toString(idx);
    }

    /**
     * The slices of {@code source} at positions {@code index} along {@code dim}, like
     * {@code torch.index_select(source, dim, index)}: the result has {@code source}'s shape with
     * {@code dim} replaced by {@code index.length}. Indices may repeat.
     *
     * <p>Backward: {@code dsource[.., index[k], ..] += grad[.., k, ..]} for every {@code k} (a
     * scatter-add, so repeated indices accumulate), except that nothing is added into slice
     * {@code skipSlice} (pass {@code -1} for none): that is how {@code Embedding} keeps its padding
     * row's gradient at zero.
     *
     * @throws IllegalArgumentException for an index outside {@code [0, source.size(dim))}
     */
    public static Tensor indexSelect(Tensor source, int dim, int[] index, int skipSlice) {
        int[] shape = source.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("index_select() cannot be applied to a 0-dim tensor");
        }
        int d = Shape.normalizeDim(dim, shape.length);
        int size = shape[d];
        for (int k = 0; k < index.length; k++) {
            if (index[k] < 0 || index[k] >= size) {
                throw new IllegalArgumentException("index_select(): index " + index[k] + " at position " + k
                    + " is out of range for dimension " + d + " of size " + size + " (shape " + Shape.format(shape) + ")");
            }
        }
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < shape.length; i++) {
            if (i < d) {
                outer *= shape[i];
            } else if (i > d) {
                inner *= shape[i];
            }
        }
        int[] outShape = shape.clone();
        outShape[d] = index.length;
        float[] x = source.data();
        float[] y = new float[Shape.numel(outShape)];
        int count = index.length;
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < count; k++) {
                System.arraycopy(x, (o * size + index[k]) * inner, y, (o * count + k) * inner, inner);
            }
        }
        if (!Node.isRecording(source)) {
            return Tensor.wrap(y, outShape);
        }
        int[] idx = index.clone();
        int n = source.numel();
        int outerF = outer;
        int innerF = inner;
        Node node = new Node(source) {
            @Override
            public String name() {
                return "IndexSelectBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                float[] gy = g[0];
                float[] gx = new float[n];
                for (int o = 0; o < outerF; o++) {
                    for (int k = 0; k < count; k++) {
                        if (idx[k] == skipSlice) {
                            continue;
                        }
                        int src = (o * count + k) * innerF;
                        int dst = (o * size + idx[k]) * innerF;
                        for (int j = 0; j < innerF; j++) {
                            gx[dst + j] += gy[src + j];
                        }
                    }
                }
                return new float[][] {gx};
            }
        };
        return node.output(y, outShape);
    }
}
