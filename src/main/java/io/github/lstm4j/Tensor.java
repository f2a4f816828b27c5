package io.github.lstm4j;

import io.github.lstm4j.autograd.Engine;
import io.github.lstm4j.autograd.GradMode;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.ops.Binary;
import io.github.lstm4j.autograd.ops.LinearAlgebra;
import io.github.lstm4j.autograd.ops.Reduce;
import io.github.lstm4j.autograd.ops.ShapeOps;
import io.github.lstm4j.autograd.ops.Unary;
import io.github.lstm4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32 values, stored row-major in one contiguous array, with
 * reverse-mode automatic differentiation: the counterpart of {@code torch.Tensor}.
 *
 * <p>Operations return new tensors. When grad mode is on ({@link GradMode}) and an input
 * {@linkplain #requiresGrad() requires a gradient}, the result records the operation as its
 * {@link #gradFn()} so that {@link #backward()} can compute gradients, which accumulate into the
 * {@link #grad()} of every leaf that requires one.
 *
 * <p>Storage: {@link #reshape}/{@link #view}, {@link #squeeze}, {@link #unsqueeze} and
 * {@link #detach} share this tensor's array, like PyTorch views; transposes, permutes, slices and
 * selections copy into a new contiguous array (PyTorch would return a strided view; the values are
 * the same, but writing into the copy does not change this tensor). Methods ending in {@code _}
 * modify this tensor in place and record no history.
 *
 * <p>Thread safety: a tensor may be read from many threads at once (for example a model's
 * parameters during concurrent inference under {@code noGrad}); writing it (in-place methods,
 * {@code backward} into its {@code grad}) needs external synchronisation.
 */
public class Tensor {

    private final float[] data;
    private final int[] shape;
    /** Shared by a tensor and its views: bumped by every in-place change. */
    private final int[] version;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputIndex;

    private Tensor(float[] data, int[] shape, int[] version) {
        this.data = data;
        this.shape = shape;
        this.version = version;
    }

    /**
     * For subclasses such as {@code nn.Parameter}: a tensor sharing {@code base}'s data, shape and
     * version counter, with no history.
     */
    protected Tensor(Tensor base) {
        this(base.data, base.shape, base.version);
    }

    // ------------------------------------------------------------------ creation

    /**
     * Wraps {@code data} without copying; the tensor and the caller share the array.
     *
     * @throws IllegalArgumentException when the array length is not the product of the shape
     */
    public static Tensor wrap(float[] data, int... shape) {
        int n = Shape.numel(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("data has " + data.length + " values but shape " + Shape.format(shape)
                + " needs " + n);
        }
        return new Tensor(data, shape.clone(), new int[1]);
    }

    /** A tensor with a copy of {@code data} laid out as {@code shape}, like {@code torch.tensor(data).view(shape)}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A 1-D tensor holding the given values. */
    public static Tensor of(float... values) {
        return wrap(values.clone(), values.length);
    }

    /** A 0-dim tensor holding one value, like {@code torch.tensor(v)}. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value});
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int r = rows.length;
        int c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + c);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return wrap(d, r, c);
    }

    /** Zeros of the given shape. */
    public static Tensor zeros(int... shape) {
        return wrap(new float[Shape.numel(shape)], shape);
    }

    /** Ones of the given shape. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor of the given shape filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        Arrays.fill(d, value);
        return wrap(d, shape);
    }

    /** Zeros shaped like {@code t}. */
    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape);
    }

    /** Ones shaped like {@code t}. */
    public static Tensor onesLike(Tensor t) {
        return ones(t.shape);
    }

    /** {@code 0, 1, ..., end-1} as a 1-D tensor, like {@code torch.arange(end)}. */
    public static Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /**
     * {@code start, start+step, ...} up to but excluding {@code end}, like {@code torch.arange}.
     *
     * @throws IllegalArgumentException for a zero or NaN step, or a step whose sign does not lead to end
     */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: step must be nonzero and bounds finite, got start=" + start
                + ", end=" + end + ", step=" + step);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign: start="
                + start + ", end=" + end + ", step=" + step);
        }
        double count = Math.ceil((end - start) / step);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: start=" + start + ", end=" + end + ", step=" + step + " gives "
                + (long) count + " values, more than one tensor holds (2^31-1)");
        }
        int n = (int) count;
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = (float) (start + i * step);
        }
        return wrap(d, n);
    }

    /** Uniform draws from [0, 1) from {@code gen}, like {@code torch.rand(shape, generator=gen)}. */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0f, 1f, shape);
    }

    /** Uniform draws from [low, high) from {@code gen}, like {@code tensor.uniform_(low, high)}. */
    public static Tensor uniform(Generator gen, float low, float high, int... shape) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform: low " + low + " must be <= high " + high);
        }
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + (high - low) * gen.nextFloat();
        }
        return wrap(d, shape);
    }

    /** Standard normal draws from {@code gen}, like {@code torch.randn(shape, generator=gen)}. */
    public static Tensor randn(Generator gen, int... shape) {
        float[] d = new float[Shape.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) gen.nextGaussian();
        }
        return wrap(d, shape);
    }

    /**
     * The output of an autograd node: used by {@link Node#output}; custom operations should call
     * that instead.
     */
    public static Tensor fromNode(float[] data, int[] shape, Node node, int index) {
        Tensor t = wrap(data, shape);
        t.requiresGrad = true;
        t.gradFn = node;
        t.outputIndex = index;
        return t;
    }

    /** A tensor sharing {@code base}'s array and version counter with a new shape (no history). */
    public static Tensor view(Tensor base, int[] shape) {
        if (Shape.numel(shape) != base.data.length) {
            throw new IllegalArgumentException("shape " + Shape.format(shape) + " is invalid for input of size "
                + base.data.length);
        }
        return new Tensor(base.data, shape.clone(), base.version);
    }

    /** Like {@link #view(Tensor, int[])} but recorded as the output of {@code node}. */
    public static Tensor viewFromNode(Tensor base, int[] shape, Node node) {
        Tensor t = view(base, shape);
        t.requiresGrad = true;
        t.gradFn = node;
        return t;
    }

    // ------------------------------------------------------------------ shape and data

    /** The shape (a copy), like {@code tensor.shape}. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of dimension {@code dim} (negative counts from the end), like {@code tensor.size(dim)}. */
    public int size(int dim) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("size(" + dim + ") of a 0-dim tensor");
        }
        return shape[Shape.normalizeDim(dim, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return data.length;
    }

    /**
     * The backing array, row-major, not a copy. Writing it changes this tensor (and its views)
     * without autograd knowing; prefer the in-place methods. For kernels and I/O.
     */
    public float[] data() {
        return data;
    }

    /** A copy of the values, row-major. */
    public float[] toFloatArray() {
        return data.clone();
    }

    /**
     * The single value of a one-element tensor, like {@code tensor.item()}.
     *
     * @throws IllegalStateException when the tensor has more or fewer than one element
     */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("a Tensor with " + data.length + " elements cannot be converted to a scalar"
                + " (shape " + Shape.format(shape) + ")");
        }
        return data[0];
    }

    /** The element at the given index (negative indices count from the end). */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                + " entries for a tensor of shape " + Shape.format(shape));
        }
        int off = 0;
        int stride = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension " + d
                    + " with size " + shape[d]);
            }
            off += i * stride;
            stride *= shape[d];
        }
        return off;
    }

    // ------------------------------------------------------------------ autograd

    /** Whether gradients are computed for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Sets whether autograd records operations on this leaf, like {@code requires_grad_()}; returns this.
     *
     * @throws IllegalStateException on a non-leaf (its flag is decided by its inputs)
     */
    public Tensor requiresGrad_(boolean flag) {
        if (gradFn != null) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables (this tensor "
                + "was produced by " + gradFn.name() + ")");
        }
        requiresGrad = flag;
        return this;
    }

    /** The accumulated gradient, or null before the first backward (or after zeroing to null). */
    public Tensor grad() {
        return grad;
    }

    /**
     * Replaces the gradient, e.g. {@code setGrad(null)} like {@code p.grad = None}.
     *
     * @throws IllegalArgumentException when the gradient's shape differs from this tensor's
     */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("assigned grad has shape " + Shape.format(g.shape)
                + " but the tensor has shape " + Shape.format(shape));
        }
        grad = g;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** Which output of {@link #gradFn()} this tensor is. */
    public int outputIndex() {
        return outputIndex;
    }

    /** True for a tensor not produced by a recorded operation (user-created or detached). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The in-place version counter, shared with views. */
    public int version() {
        return version[0];
    }

    /** Records an in-place change (bumps the version counter); for kernels that write {@link #data()}. */
    public void bumpVersion() {
        version[0]++;
    }

    /** A leaf sharing this tensor's data that never requires gradients, like {@code tensor.detach()}. */
    public Tensor detach() {
        return new Tensor(data, shape, version);
    }

    /** A copy of the data with no history, like {@code tensor.detach().clone()}. */
    public Tensor copy() {
        return wrap(data.clone(), shape);
    }

    /**
     * Differentiable copy, like {@code tensor.clone()}: {@code dx = grad}.
     */
    public Tensor cloneTensor() {
        return Unary.mulScalar(this, 1f);
    }

    /**
     * Computes the gradient of this scalar with respect to every leaf that requires one.
     *
     * @throws IllegalStateException when this tensor does not hold exactly one element, or does not require grad
     */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("grad can be implicitly created only for scalar outputs: backward() on "
                + "a tensor of shape " + Shape.format(shape) + " needs a gradient argument of that shape");
        }
        backward(null, false);
    }

    /** Backward with an explicit upstream gradient of this tensor's shape. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Backward with an upstream gradient (null means 1 for a one-element tensor).
     *
     * @param retainGraph keep saved values so that a second backward through the same graph works
     * @throws IllegalArgumentException when the gradient's shape differs from this tensor's
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        float[] g;
        if (gradient == null) {
            if (data.length != 1) {
                throw new IllegalStateException("grad can be implicitly created only for scalar outputs: backward() "
                    + "on a tensor of shape " + Shape.format(shape) + " needs a gradient argument of that shape");
            }
            g = new float[] {1f};
        } else {
            if (!Arrays.equals(gradient.shape, shape)) {
                throw new IllegalArgumentException("backward: gradient has shape " + Shape.format(gradient.shape)
                    + " but the tensor has shape " + Shape.format(shape));
            }
            g = gradient.data;
        }
        Engine.backward(this, g, retainGraph);
    }

    /** Opens a no-grad scope on this thread, like {@code with torch.no_grad():}; close it (try-with-resources). */
    public static NoGrad noGrad() {
        return GradMode.noGrad();
    }

    // ------------------------------------------------------------------ elementwise

    /** {@code this + other} with broadcasting. */
    public Tensor add(Tensor other) {
        return Binary.add(this, other);
    }

    /** {@code this + s}. */
    public Tensor add(float s) {
        return Unary.addScalar(this, s);
    }

    /** {@code this - other} with broadcasting. */
    public Tensor sub(Tensor other) {
        return Binary.sub(this, other);
    }

    /** {@code this - s}. */
    public Tensor sub(float s) {
        return Unary.addScalar(this, -s);
    }

    /** {@code s - this}, like {@code torch.rsub}. */
    public Tensor rsub(float s) {
        return Unary.rsubScalar(this, s);
    }

    /** {@code this * other} elementwise with broadcasting. */
    public Tensor mul(Tensor other) {
        return Binary.mul(this, other);
    }

    /** {@code this * s}. */
    public Tensor mul(float s) {
        return Unary.mulScalar(this, s);
    }

    /** {@code this / other} elementwise with broadcasting. */
    public Tensor div(Tensor other) {
        return Binary.div(this, other);
    }

    /** {@code this / s}. */
    public Tensor div(float s) {
        return Unary.divScalar(this, s);
    }

    /** {@code s / this}. */
    public Tensor rdiv(float s) {
        return Unary.rdivScalar(this, s);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Unary.neg(this);
    }

    /** {@code this ^ p} elementwise. */
    public Tensor pow(float p) {
        return Unary.powScalar(this, p);
    }

    /** {@code this ^ other} elementwise with broadcasting. */
    public Tensor pow(Tensor other) {
        return Binary.pow(this, other);
    }

    /** Elementwise maximum with broadcasting, like {@code torch.maximum}. */
    public Tensor maximum(Tensor other) {
        return Binary.maximum(this, other);
    }

    /** {@code e^this}. */
    public Tensor exp() {
        return Unary.exp(this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Unary.log(this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Unary.sqrt(this);
    }

    /** Absolute value. */
    public Tensor abs() {
        return Unary.abs(this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Unary.tanh(this);
    }

    /** Logistic sigmoid. */
    public Tensor sigmoid() {
        return Unary.sigmoid(this);
    }

    /** {@code max(this, 0)}. */
    public Tensor relu() {
        return Unary.relu(this);
    }

    /** {@code min(max(this, min), max)}; pass {@code Float.NaN} for a side without bound. */
    public Tensor clamp(float min, float max) {
        return Unary.clamp(this, min, max);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements (0-dim result). */
    public Tensor sum() {
        return Reduce.sum(this, new int[0], false, false);
    }

    /** Sum over the given dims. */
    public Tensor sum(int[] dims, boolean keepdim) {
        requireDims(dims, "sum");
        return Reduce.sum(this, dims, keepdim, false);
    }

    /** Sum over one dim. */
    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    /** Mean of all elements (0-dim result; NaN for an empty tensor, as PyTorch). */
    public Tensor mean() {
        return Reduce.sum(this, new int[0], false, true);
    }

    /** Mean over the given dims. */
    public Tensor mean(int[] dims, boolean keepdim) {
        requireDims(dims, "mean");
        return Reduce.sum(this, dims, keepdim, true);
    }

    /** Mean over one dim. */
    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    private static void requireDims(int[] dims, String op) {
        if (dims.length == 0) {
            throw new IllegalArgumentException(op + ": give at least one dim, or call " + op + "() for all elements");
        }
    }

    /** Largest element (0-dim). */
    public Tensor max() {
        return Reduce.extremeAll(this, true);
    }

    /** Smallest element (0-dim). */
    public Tensor min() {
        return Reduce.extremeAll(this, false);
    }

    /** Largest values along {@code dim}, like {@code torch.max(x, dim, keepdim).values}. */
    public Tensor max(int dim, boolean keepdim) {
        return Reduce.extreme(this, dim, keepdim, true)[0];
    }

    /** Smallest values along {@code dim}. */
    public Tensor min(int dim, boolean keepdim) {
        return Reduce.extreme(this, dim, keepdim, false)[0];
    }

    /** Index (as a float) of the first largest element along {@code dim}; never requires grad. */
    public Tensor argmax(int dim, boolean keepdim) {
        return Reduce.extreme(this.detach(), dim, keepdim, true)[1];
    }

    /** Index (as a float) of the first smallest element along {@code dim}; never requires grad. */
    public Tensor argmin(int dim, boolean keepdim) {
        return Reduce.extreme(this.detach(), dim, keepdim, false)[1];
    }

    /** Flat index of the first largest element (0-dim). */
    public Tensor argmax() {
        return Reduce.extreme(view(this, new int[] {data.length}).detach(), 0, false, true)[1];
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return Reduce.norm(this, 2, new int[0], false);
    }

    /** The p-norm of all elements ({@code Double.POSITIVE_INFINITY} for the max norm). */
    public Tensor norm(double p) {
        return Reduce.norm(this, p, new int[0], false);
    }

    /** The p-norm over the given dims. */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        requireDims(dims, "norm");
        return Reduce.norm(this, p, dims, keepdim);
    }

    // ------------------------------------------------------------------ linear algebra

    /** {@code torch.matmul(this, other)}. */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    // ------------------------------------------------------------------ shape

    /** Same data in a new shape ({@code -1} inferred); shares data, like {@code tensor.reshape}. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** Same as {@link #reshape}: every tensor here is contiguous, so every view is possible. */
    public Tensor view(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** A 1-D tensor of all elements. */
    public Tensor flatten() {
        return reshape(data.length);
    }

    /** Swaps two dimensions (copies), like {@code tensor.transpose(d0, d1)}. */
    public Tensor transpose(int dim0, int dim1) {
        int rank = shape.length;
        if (rank == 0) {
            return this;
        }
        int a = Shape.normalizeDim(dim0, rank);
        int b = Shape.normalizeDim(dim1, rank);
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[a] = b;
        perm[b] = a;
        return ShapeOps.permute(this, perm);
    }

    /** The transpose of a matrix (0-D and 1-D tensors are returned as they are), like {@code tensor.t()}. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but got shape "
                + Shape.format(shape));
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Reorders dimensions (copies), like {@code tensor.permute(dims)}. */
    public Tensor permute(int... dims) {
        return ShapeOps.permute(this, dims);
    }

    /** Removes every dimension of size 1. */
    public Tensor squeeze() {
        int[] s = Arrays.stream(shape).filter(d -> d != 1).toArray();
        return reshape(s);
    }

    /** Removes dimension {@code dim} if it has size 1 (otherwise returns an equal-shaped tensor). */
    public Tensor squeeze(int dim) {
        if (shape.length == 0) {
            Shape.normalizeDim(dim, 0);
            return reshape();
        }
        int d = Shape.normalizeDim(dim, shape.length);
        if (shape[d] != 1) {
            return reshape(shape);
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) {
                s[j++] = shape[i];
            }
        }
        return reshape(s);
    }

    /** Inserts a dimension of size 1 at {@code dim} (in {@code [-dim()-1, dim()]}). */
    public Tensor unsqueeze(int dim) {
        int rank = shape.length + 1;
        int d = Shape.normalizeDim(dim, rank);
        int[] s = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            s[i] = i == d ? 1 : shape[j++];
        }
        return reshape(s);
    }

    /** This tensor: every tensor is already contiguous. */
    public Tensor contiguous() {
        return this;
    }

    /**
     * The slice at {@code index} along {@code dim}, with that dimension removed, like
     * {@code x.select(dim, index)}; negative index counts from the end, so the tutorial's
     * {@code out[:, -1, :]} is {@code out.select(1, -1)}.
     */
    public Tensor select(int dim, int index) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor");
        }
        int d = Shape.normalizeDim(dim, shape.length);
        int size = shape[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                + Shape.format(shape) + " at dimension " + d);
        }
        return ShapeOps.narrow(this, d, i, 1).squeeze(d);
    }

    /**
     * Elements {@code start .. start+length-1} along {@code dim} (copies), like {@code x.narrow};
     * a negative start counts from the end.
     */
    public Tensor narrow(int dim, int start, int length) {
        return ShapeOps.narrow(this, dim, start, length);
    }

    /**
     * Python's {@code x[..., start:end, ...]} along {@code dim}: negative bounds count from the end,
     * bounds beyond the size are clipped (as Python slicing does).
     */
    public Tensor slice(int dim, int start, int end) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor");
        }
        int d = Shape.normalizeDim(dim, shape.length);
        int size = shape[d];
        int s = start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        int e = end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        return ShapeOps.narrow(this, d, s, Math.max(e - s, 0));
    }

    /** Broadcasts to {@code shape} (copies; {@code -1} keeps a size), like {@code expand}. */
    public Tensor expand(int... newShape) {
        return ShapeOps.expand(this, newShape);
    }

    /** Concatenates tensors along {@code dim}, like {@code torch.cat}. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return ShapeOps.cat(tensors, dim);
    }

    /** Stacks equal-shaped tensors along a new dimension {@code dim}, like {@code torch.stack}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack expects a non-empty list of tensors");
        }
        int[] first = tensors.get(0).shape;
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shape, first)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                    + Shape.format(first) + " at entry 0 and " + Shape.format(t.shape) + " at entry " + i);
            }
            parts.add(t.unsqueeze(dim));
        }
        return ShapeOps.cat(parts, Shape.normalizeDim(dim, first.length + 1));
    }

    /** Splits into {@code chunks} pieces along {@code dim} of size {@code ceil(size/chunks)} (the last may be smaller). */
    public List<Tensor> chunk(int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        int size = size(dim);
        int each = Math.max((size + chunks - 1) / chunks, 1);
        return split(each, dim);
    }

    /** Splits into pieces of {@code splitSize} along {@code dim} (the last may be smaller), like {@code torch.split}. */
    public List<Tensor> split(int splitSize, int dim) {
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split expects split_size be positive, but got split_size=" + splitSize);
        }
        int size = size(dim);
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < size; s += splitSize) {
            out.add(narrow(dim, s, Math.min(splitSize, size - s)));
        }
        if (size == 0) {
            out.add(narrow(dim, 0, 0));
        }
        return out;
    }

    // ------------------------------------------------------------------ in place (no history)

    private void checkInPlace(String op) {
        if (GradMode.isEnabled() && requiresGrad) {
            throw new IllegalStateException(op + ": a " + (gradFn == null ? "leaf Variable" : "tensor")
                + " that requires grad is being used in an in-place operation; wrap it in Tensor.noGrad()");
        }
    }

    private void checkSame(Tensor other, String op) {
        if (other.data.length != data.length && other.data.length != 1) {
            throw new IllegalArgumentException(op + ": shape " + Shape.format(other.shape)
                + " does not match this tensor's shape " + Shape.format(shape));
        }
    }

    private Tensor touched() {
        version[0]++;
        return this;
    }

    /** Sets every element to 0; returns this. */
    public Tensor zero_() {
        checkInPlace("zero_");
        Arrays.fill(data, 0f);
        return touched();
    }

    /** Sets every element to {@code v}; returns this. */
    public Tensor fill_(float v) {
        checkInPlace("fill_");
        Arrays.fill(data, v);
        return touched();
    }

    /** Copies {@code src} (same number of elements, or one) into this; returns this. */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        checkSame(src, "copy_");
        if (src.data.length == 1) {
            Arrays.fill(data, src.data[0]);
        } else {
            System.arraycopy(src.data, 0, data, 0, data.length);
        }
        return touched();
    }

    /** {@code this += alpha * other}; returns this. */
    public Tensor add_(Tensor other, float alpha) {
        checkInPlace("add_");
        checkSame(other, "add_");
        float[] o = other.data;
        if (o.length == 1) {
            float v = alpha * o[0];
            for (int i = 0; i < data.length; i++) {
                data[i] += v;
            }
        } else {
            for (int i = 0; i < data.length; i++) {
                data[i] += alpha * o[i];
            }
        }
        return touched();
    }

    /** {@code this += other}; returns this. */
    public Tensor add_(Tensor other) {
        return add_(other, 1f);
    }

    /** {@code this += s}; returns this. */
    public Tensor add_(float s) {
        checkInPlace("add_");
        for (int i = 0; i < data.length; i++) {
            data[i] += s;
        }
        return touched();
    }

    /** {@code this -= other}; returns this. */
    public Tensor sub_(Tensor other) {
        return add_(other, -1f);
    }

    /** {@code this *= s}; returns this. */
    public Tensor mul_(float s) {
        checkInPlace("mul_");
        for (int i = 0; i < data.length; i++) {
            data[i] *= s;
        }
        return touched();
    }

    /** {@code this *= other} elementwise; returns this. */
    public Tensor mul_(Tensor other) {
        checkInPlace("mul_");
        checkSame(other, "mul_");
        float[] o = other.data;
        for (int i = 0; i < data.length; i++) {
            data[i] *= o.length == 1 ? o[0] : o[i];
        }
        return touched();
    }

    /** {@code this /= s}; returns this. */
    public Tensor div_(float s) {
        checkInPlace("div_");
        for (int i = 0; i < data.length; i++) {
            data[i] /= s;
        }
        return touched();
    }

    /** {@code this += value * t1 * t2} elementwise; returns this. */
    public Tensor addcmul_(Tensor t1, Tensor t2, float value) {
        checkInPlace("addcmul_");
        checkSame(t1, "addcmul_");
        checkSame(t2, "addcmul_");
        float[] a = t1.data;
        float[] b = t2.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += value * a[a.length == 1 ? 0 : i] * b[b.length == 1 ? 0 : i];
        }
        return touched();
    }

    /** {@code this += value * t1 / t2} elementwise; returns this. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, float value) {
        checkInPlace("addcdiv_");
        checkSame(t1, "addcdiv_");
        checkSame(t2, "addcdiv_");
        float[] a = t1.data;
        float[] b = t2.data;
        for (int i = 0; i < data.length; i++) {
            data[i] += value * a[a.length == 1 ? 0 : i] / b[b.length == 1 ? 0 : i];
        }
        return touched();
    }

    /** Clamps every element into {@code [min, max]} (NaN: no bound on that side); returns this. */
    public Tensor clamp_(float min, float max) {
        checkInPlace("clamp_");
        for (int i = 0; i < data.length; i++) {
            if (!Float.isNaN(min) && data[i] < min) {
                data[i] = min;
            }
            if (!Float.isNaN(max) && data[i] > max) {
                data[i] = max;
            }
        }
        return touched();
    }

    /** Fills with uniform draws from [low, high) from {@code gen}; returns this. */
    public Tensor uniform_(Generator gen, float low, float high) {
        checkInPlace("uniform_");
        for (int i = 0; i < data.length; i++) {
            data[i] = low + (high - low) * gen.nextFloat();
        }
        return touched();
    }

    // ------------------------------------------------------------------ comparison and printing

    /** True when shapes are equal and every pair of elements is within {@code atol + rtol * |other|}. */
    public boolean allclose(Tensor other, float rtol, float atol) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            float a = data[i];
            float b = other.data[i];
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b)) && !(Float.isNaN(a) && Float.isNaN(b)) && a != b) {
                return false;
            }
        }
        return true;
    }

    /**
     * PyTorch-like printing: {@code tensor([[1.0000, 2.0000], ...], shape=[2, 2], grad_fn=<AddBackward>)};
     * tensors over 1000 elements show 3 entries at each edge of every dimension.
     */
    @Override
    public String toString() {
        return TensorFormat.format(this, grad != null);
    }

    int[] shapeRef() {
        return shape;
    }
}
