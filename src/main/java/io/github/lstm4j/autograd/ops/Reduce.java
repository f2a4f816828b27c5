package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Shape;

/**
 * Reductions: sum, mean, max/min (with their indices) and p-norms, over all elements or over
 * chosen dimensions with or without {@code keepdim}. Sums accumulate in double.
 */
public final class Reduce {

    private Reduce() {
    }

    /** The dims to reduce as a mask; an empty list means every dim. */
    static boolean[] mask(int[] dims, int rank, String op) {
        boolean[] m = new boolean[rank];
        if (dims.length == 0) {
            java.util.Arrays.fill(m, true);
            return m;
        }
        for (int d : dims) {
            int n = Shape.normalizeDim(d, rank);
            if (rank == 0) {
                continue;
            }
            if (m[n]) {
                throw new IllegalArgumentException(op + ": dim " + n + " appears multiple times in the list of dims");
            }
            m[n] = true;
        }
        return m;
    }

    /** The shape with the masked dims set to 1 (keepdim) or dropped. */
    static int[] reducedShape(int[] shape, boolean[] mask, boolean keepdim) {
        int kept = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i] || keepdim) {
                kept++;
            }
        }
        int[] out = new int[kept];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) {
                out[j++] = shape[i];
            } else if (keepdim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /** For each input element, the offset of the output element it reduces into. */
    static int[] targetOffsets(int[] shape, boolean[] mask) {
        int[] keep = shape.clone();
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                keep[i] = 1;
            }
        }
        int[] ks = Shape.strides(keep);
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                ks[i] = 0;
            }
        }
        return Shape.offsets(shape, ks);
    }

    /**
     * Sum over {@code dims} (all dims when empty); {@code dx = grad} broadcast back to the input.
     */
    public static Tensor sum(Tensor a, int[] dims, boolean keepdim, boolean mean) {
        int[] shape = a.shape();
        boolean[] mask = mask(dims, shape.length, mean ? "mean" : "sum");
        int[] keepShape = reducedShape(shape, mask, true);
        int[] outShape = reducedShape(shape, mask, keepdim);
        int n = Shape.numel(keepShape);
        double[] acc = new double[n];
        float[] x = a.data();
        boolean all = n == 1;
        if (all) {
            double s = 0;
            for (float v : x) {
                s += v;
            }
            acc[0] = s;
        } else if (n > 0) {
            int[] to = targetOffsets(shape, mask);
            for (int i = 0; i < x.length; i++) {
                acc[to[i]] += x[i];
            }
        }
        float[] r = new float[n];
        double div = mean ? (double) reducedCount(shape, mask) : 1.0;
        for (int i = 0; i < n; i++) {
            r[i] = (float) (acc[i] / div);
        }
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, outShape);
        }
        return new SumBackward(a, mask, (float) (1.0 / div), mean).output(r, outShape);
    }

    private static int reducedCount(int[] shape, boolean[] mask) {
        long c = 1;
        for (int i = 0; i < shape.length; i++) {
            if (mask[i]) {
                c *= shape[i];
            }
        }
        return (int) c;
    }

    private static final class SumBackward extends Node {
        private final int[] shape;
        private final boolean[] mask;
        private final float scale;
        private final boolean mean;

        SumBackward(Tensor a, boolean[] mask, float scale, boolean mean) {
            super(a);
            this.shape = a.shape();
            this.mask = mask;
            this.scale = scale;
            this.mean = mean;
        }

        @Override
        public String name() {
            return mean ? "MeanBackward" : "SumBackward";
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            int n = Shape.numel(shape);
            float[] r = new float[n];
            if (g.length == 1) {
                java.util.Arrays.fill(r, g[0] * scale);
            } else {
                int[] to = targetOffsets(shape, mask);
                for (int i = 0; i < n; i++) {
                    r[i] = g[to[i]] * scale;
                }
            }
            return new float[][] {r};
        }
    }

    /**
     * Max (or min) over one dim: values and the index of the first extreme element, as floats.
     * {@code dx = grad} at the chosen index, 0 elsewhere. NaN propagates, as in PyTorch.
     *
     * @return {values, indices}; the indices never require gradients
     */
    public static Tensor[] extreme(Tensor a, int dim, boolean keepdim, boolean max) {
        int[] shape = a.shape();
        if (a.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): cannot reduce an empty tensor of shape "
                + Shape.format(shape));
        }
        int rank = shape.length;
        int d = Shape.normalizeDim(dim, rank);
        int size = rank == 0 ? 1 : shape[d];
        int inner = 1;
        for (int i = d + 1; i < rank; i++) {
            inner *= shape[i];
        }
        int outer = a.numel() / (size * inner);
        boolean[] mask = new boolean[rank];
        if (rank > 0) {
            mask[d] = true;
        }
        int[] outShape = reducedShape(shape, mask, keepdim);
        float[] x = a.data();
        float[] vals = new float[outer * inner];
        int[] arg = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * size * inner + in;
                float best = x[base];
                int bi = 0;
                for (int k = 1; k < size && !Float.isNaN(best); k++) {
                    float v = x[base + k * inner];
                    if (Float.isNaN(v) || (max ? v > best : v < best)) {
                        best = v;
                        bi = k;
                    }
                }
                vals[o * inner + in] = best;
                arg[o * inner + in] = bi;
            }
        }
        float[] idx = new float[arg.length];
        for (int i = 0; i < arg.length; i++) {
            idx[i] = arg[i];
        }
        Tensor indices = Tensor.wrap(idx, outShape);
        if (!Node.isRecording(a)) {
            return new Tensor[] {Tensor.wrap(vals, outShape), indices};
        }
        Node node = new IndexBackward(a, arg, size, inner, max ? "MaxBackward" : "MinBackward");
        return new Tensor[] {node.output(vals, outShape), indices};
    }

    /**
     * Max (or min) of all elements; the gradient is split evenly between tied extremes, as PyTorch
     * does for the full reduction.
     */
    public static Tensor extremeAll(Tensor a, boolean max) {
        if (a.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): cannot reduce an empty tensor of shape "
                + Shape.format(a.shape()));
        }
        float[] x = a.data();
        float best = x[0];
        for (int i = 1; i < x.length && !Float.isNaN(best); i++) {
            if (Float.isNaN(x[i]) || (max ? x[i] > best : x[i] < best)) {
                best = x[i];
            }
        }
        float[] r = {best};
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, new int[0]);
        }
        int count = 0;
        for (float v : x) {
            if (v == best || (Float.isNaN(best) && Float.isNaN(v))) {
                count++;
            }
        }
        final float value = best;
        final int ties = count;
        Node node = new Node(a) {
            private final int n = x.length;
            private Saved in = Saved.of(a, max ? "MaxBackward" : "MinBackward");

            @Override
            public String name() {
                return max ? "MaxBackward" : "MinBackward";
            }

            @Override
            protected float[][] backward(float[][] gOut) {
                float[] xs = in.data();
                float[] gr = new float[n];
                float share = gOut[0][0] / ties;
                for (int i = 0; i < n; i++) {
                    if (xs[i] == value || (Float.isNaN(value) && Float.isNaN(xs[i]))) {
                        gr[i] = share;
                    }
                }
                return new float[][] {gr};
            }

            @Override
            protected void releaseSaved() {
                in = null;
            }
        };
        return node.output(r, new int[0]);
    }

    private static final class IndexBackward extends Node {
        private final int[] shape;
        private final int[] arg;
        private final int size;
        private final int inner;
        private final String name;

        IndexBackward(Tensor a, int[] arg, int size, int inner, String name) {
            super(a);
            this.shape = a.shape();
            this.arg = arg;
            this.size = size;
            this.inner = inner;
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            float[] r = new float[Shape.numel(shape)];
            for (int j = 0; j < arg.length; j++) {
                int o = j / inner;
                int in = j % inner;
                r[o * size * inner + arg[j] * inner + in] += g[j];
            }
            return new float[][] {r};
        }
    }

    /**
     * The p-norm over {@code dims} (all when empty): {@code (sum |x|^p)^(1/p)}, with p = infinity
     * giving {@code max |x|}. Backward: {@code dx = grad * sign(x) |x|^(p-1) / norm^(p-1)} (for p = 2,
     * {@code grad * x / norm}; 0 where the norm is 0), and for infinity the gradient is split evenly
     * among the elements of largest magnitude.
     */
    public static Tensor norm(Tensor a, double p, int[] dims, boolean keepdim) {
        if (Double.isNaN(p) || p <= 0) {
            throw new IllegalArgumentException("norm: p must be positive or infinity, got " + p);
        }
        int[] shape = a.shape();
        boolean[] mask = mask(dims, shape.length, "norm");
        int[] keepShape = reducedShape(shape, mask, true);
        int[] outShape = reducedShape(shape, mask, keepdim);
        int n = Shape.numel(keepShape);
        float[] x = a.data();
        int[] to = targetOffsets(shape, mask);
        double[] acc = new double[n];
        boolean inf = Double.isInfinite(p);
        for (int i = 0; i < x.length; i++) {
            double v = Math.abs(x[i]);
            if (inf) {
                acc[to[i]] = Math.max(acc[to[i]], v);
                if (Double.isNaN(v)) {
                    acc[to[i]] = Double.NaN;
                }
            } else if (p == 2) {
                acc[to[i]] += v * v;
            } else if (p == 1) {
                acc[to[i]] += v;
            } else {
                acc[to[i]] += Math.pow(v, p);
            }
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = (float) (inf || p == 1 ? acc[i] : p == 2 ? Math.sqrt(acc[i]) : Math.pow(acc[i], 1.0 / p));
        }
        if (!Node.isRecording(a)) {
            return Tensor.wrap(r, outShape);
        }
        NormBackward node = new NormBackward(a, p, mask, r);
        return node.output(r, outShape);
    }

    private static final class NormBackward extends Node {
        private Saved in;
        private final double p;
        private final boolean[] mask;
        private final float[] norm;

        NormBackward(Tensor a, double p, boolean[] mask, float[] norm) {
            super(a);
            this.in = Saved.of(a, "NormBackward");
            this.p = p;
            this.mask = mask;
            this.norm = norm;
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            Tensor t = in.tensor();
            float[] x = t.data();
            int[] to = targetOffsets(t.shape(), mask);
            float[] r = new float[x.length];
            if (Double.isInfinite(p)) {
                int[] ties = new int[norm.length];
                for (int i = 0; i < x.length; i++) {
                    if (Math.abs(x[i]) == norm[to[i]]) {
                        ties[to[i]]++;
                    }
                }
                for (int i = 0; i < x.length; i++) {
                    int o = to[i];
                    if (Math.abs(x[i]) == norm[o]) {
                        r[i] = Math.signum(x[i]) * g[o] / ties[o];
                    }
                }
            } else {
                for (int i = 0; i < x.length; i++) {
                    int o = to[i];
                    double nv = norm[o];
                    if (nv == 0) {
                        continue;
                    }
                    double xi = x[i];
                    double d;
                    if (p == 2) {
                        d = xi / nv;
                    } else if (p == 1) {
                        d = Math.signum(xi);
                    } else {
                        d = Math.signum(xi) * Math.pow(Math.abs(xi), p - 1) / Math.pow(nv, p - 1);
                    }
                    r[i] = (float) (g[o] * d);
                }
            }
            return new float[][] {r};
        }

        @Override
        protected void releaseSaved() {
            in = null;
        }
    }
}
