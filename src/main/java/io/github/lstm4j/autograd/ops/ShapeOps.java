package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.tensor.ArrayPool;
import io.github.lstm4j.tensor.Broadcast;
import io.github.lstm4j.tensor.Shape;
import java.util.List;

/**
 * Operations that move elements without computing on them: reshape (sharing data), permute,
 * narrow, concatenation and broadcasting to a shape. Their backward moves the gradient back.
 */
public final class ShapeOps {

    private ShapeOps() {
    }

    /**
     * Same data, new shape ({@code -1} inferred once); the result shares the input's array, as a
     * PyTorch view does. {@code dx = grad} reshaped.
     */
    public static Tensor reshape(Tensor a, int... newShape) {
        int[] shape = inferShape(a.shape(), newShape);
        if (!Node.isRecording(a)) {
            return Tensor.view(a, shape);
        }
        Node node = new Node(a) {
            @Override
            public String name() {
                return "ViewBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                return new float[][] {g[0]};
            }
        };
        return Tensor.viewFromNode(a, shape, node);
    }

    static int[] inferShape(int[] old, int[] shape) {
        int n = Shape.numel(old);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one dimension can be inferred, got "
                        + Shape.format(shape));
                }
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid shape dimension " + shape[i] + " in "
                    + Shape.format(shape));
            } else {
                known *= shape[i];
            }
        }
        int[] out = shape.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("shape " + Shape.format(shape) + " is invalid for input of size " + n);
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("shape " + Shape.format(shape) + " is invalid for input of size " + n);
        }
        return out;
    }

    /**
     * Reorders dimensions: result dim {@code i} is input dim {@code perm[i]} (copies into a new
     * contiguous array). {@code dx = grad} permuted back by the inverse permutation.
     */
    public static Tensor permute(Tensor a, int... perm) {
        int[] shape = a.shape();
        int rank = shape.length;
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: number of dims don't match: input has " + rank
                + " dims but got " + perm.length + " in " + Shape.format(perm));
        }
        int[] p = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shape.normalizeDim(perm[i], rank);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: repeated dim in " + Shape.format(perm));
            }
            seen[p[i]] = true;
        }
        float[] r = permuteData(a.data(), shape, p);
        int[] outShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            outShape[i] = shape[p[i]];
        }
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, outShape);
        }
        int[] inv = new int[rank];
        for (int i = 0; i < rank; i++) {
            inv[p[i]] = i;
        }
        Node node = new Node(a) {
            @Override
            public String name() {
                return "PermuteBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                return new float[][] {permuteData(g[0], outShape, inv)};
            }
        };
        return node.output(r, outShape);
    }

    /**
     * {@code x} (of {@code shape}) with its dimensions permuted by {@code p}, copied. An odometer
     * over the output dimensions finds each source element; when the last dimension stays last
     * (a batch-first transpose {@code (B, T, F) -> (T, B, F)}), it runs over the other dimensions
     * and copies whole rows.
     */
    static float[] permuteData(float[] x, int[] shape, int[] p) {
        int rank = shape.length;
        boolean rows = rank > 0 && p[rank - 1] == rank - 1;
        int outer = rows ? rank - 1 : rank;
        int inner = rows ? shape[rank - 1] : 1;
        int[] st = Shape.strides(shape);
        int[] outShape = new int[outer];
        int[] readStrides = new int[outer];
        for (int i = 0; i < outer; i++) {
            outShape[i] = shape[p[i]];
            readStrides[i] = st[p[i]];
        }
        float[] r = new float[Shape.numel(shape)];
        if (r.length == 0) {
            return r;
        }
        int[] idx = new int[outer];
        int src = 0;
        for (int dst = 0; dst < r.length; dst += inner) {
            if (inner == 1) {
                r[dst] = x[src];
            } else {
                System.arraycopy(x, src, r, dst, inner);
            }
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                src += readStrides[d];
                if (idx[d] < outShape[d]) {
                    break;
                }
                src -= readStrides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    /**
     * Elements {@code start .. start+length-1} along {@code dim}, copied. {@code dx} is {@code grad}
     * in that range and 0 elsewhere.
     */
    public static Tensor narrow(Tensor a, int dim, int start, int length) {
        int[] shape = a.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor");
        }
        int d = Shape.normalizeDim(dim, shape.length);
        int size = shape[d];
        if (start < 0 && start >= -size) {
            start += size;
        }
        if (start < 0 || length < 0 || start > size || start + (long) length > size) {
            throw new IllegalArgumentException("narrow: start " + start + " + length " + length
                + " exceeds dimension " + d + " of size " + size + " (shape " + Shape.format(shape) + ")");
        }
        int innerCount = 1;
        int outerCount = 1;
        for (int i = 0; i < shape.length; i++) {
            if (i > d) {
                innerCount *= shape[i];
            } else if (i < d) {
                outerCount *= shape[i];
            }
        }
        final int inner = innerCount;
        final int outer = outerCount;
        int[] outShape = shape.clone();
        outShape[d] = length;
        float[] x = a.data();
        float[] r = new float[Shape.numel(outShape)];
        int block = length * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, o * size * inner + start * inner, r, o * block, block);
        }
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, outShape);
        }
        final int outerF = outer;
        final int n = a.numel();
        final int startF = start;
        Node node = new Node(a) {
            @Override
            public String name() {
                return "NarrowBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                // a reused array when the engine recycled the last one (the last step's output
                // gradient of an LSTM whose last time step is taken)
                float[] gx = ArrayPool.takeZeroed(n);
                for (int o = 0; o < outerF; o++) {
                    System.arraycopy(g[0], o * block, gx, o * size * inner + startF * inner, block);
                }
                return new float[][] {gx};
            }

            @Override
            protected boolean returnsNewGradients() {
                return true;
            }
        };
        return node.output(r, outShape);
    }

    /**
     * Concatenates along {@code dim}; every tensor must have the same shape except along it.
     * Each input's gradient is its slice of {@code grad}.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        int[] first = tensors.get(0).shape();
        if (first.length == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        int d = Shape.normalizeDim(dim, first.length);
        int total = 0;
        int[] sizes = new int[tensors.size()];
        for (int t = 0; t < tensors.size(); t++) {
            int[] s = tensors.get(t).shape();
            if (s.length != first.length) {
                throw new IllegalArgumentException("cat: tensors must have the same number of dimensions: got "
                    + Shape.format(first) + " and " + Shape.format(s) + " (at position " + t + ")");
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != first[i]) {
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d
                        + ": expected " + first[i] + " but got " + s[i] + " in dimension " + i
                        + " for tensor at position " + t + " (shapes " + Shape.format(first) + " and "
                        + Shape.format(s) + ")");
                }
            }
            sizes[t] = s[d];
            total += s[d];
        }
        int inner = 1;
        for (int i = d + 1; i < first.length; i++) {
            inner *= first[i];
        }
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= first[i];
        }
        int[] outShape = first.clone();
        outShape[d] = total;
        float[] r = new float[Shape.numel(outShape)];
        int rowLen = total * inner;
        int pos = 0;
        for (int t = 0; t < tensors.size(); t++) {
            float[] x = tensors.get(t).data();
            int block = sizes[t] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x, o * block, r, o * rowLen + pos, block);
            }
            pos += block;
        }
        Tensor[] ins = tensors.toArray(new Tensor[0]);
        if (!Node.isRecording(ins)) {
            return Tensor.wrap(r, outShape);
        }
        final int outerF = outer;
        final int innerF = inner;
        Node node = new Node(ins) {
            @Override
            public String name() {
                return "CatBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                float[][] out = new float[sizes.length][];
                int p = 0;
                for (int t = 0; t < sizes.length; t++) {
                    int block = sizes[t] * innerF;
                    if (needsGrad(t)) {
                        float[] gx = new float[outerF * block];
                        for (int o = 0; o < outerF; o++) {
                            System.arraycopy(g[0], o * rowLen + p, gx, o * block, block);
                        }
                        out[t] = gx;
                    }
                    p += block;
                }
                return out;
            }
        };
        return node.output(r, outShape);
    }

    /**
     * {@code a} broadcast to {@code shape} (copied), like {@code torch.broadcast_to}/{@code expand};
     * {@code dx = grad} summed over the broadcast dimensions.
     */
    public static Tensor expand(Tensor a, int... shape) {
        int[] in = a.shape();
        int[] target = shape.clone();
        int shift = target.length - in.length;
        if (shift < 0) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + target.length
                + ") must be greater or equal to the number of dimensions in the tensor (" + in.length + ")");
        }
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1 && i >= shift) {
                target[i] = in[i - shift];
            }
        }
        int[] b = Shape.broadcast(in, target);
        if (!java.util.Arrays.equals(b, target)) {
            throw new IllegalArgumentException("expand: shape " + Shape.format(in) + " cannot be expanded to "
                + Shape.format(shape));
        }
        float[] r = Broadcast.expand(a.data(), in, target);
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, target);
        }
        Node node = new Node(a) {
            @Override
            public String name() {
                return "ExpandBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                return new float[][] {Broadcast.sumTo(g[0], target, in)};
            }
        };
        return node.output(r, target);
    }
}
