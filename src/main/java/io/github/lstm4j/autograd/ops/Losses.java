package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Broadcast;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * Fused, numerically stable per-element losses: the kernels behind {@code nn.HuberLoss},
 * {@code nn.SmoothL1Loss}, {@code nn.BCEWithLogitsLoss} and {@code nn.CrossEntropyLoss}. Each
 * returns unreduced losses; the modules reduce them with ordinary tensor ops. Arithmetic is in
 * double, results are rounded to float32.
 */
public final class Losses {

    private Losses() {
    }

    // ------------------------------------------------------------------ Huber and smooth L1

    /**
     * Huber loss of a difference {@code d = input - target}, elementwise:
     * {@code l = 0.5 d^2} if {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}.
     * Derivative: {@code dd = grad * clamp(d, -delta, delta)}. Saves {@code d}.
     *
     * @throws IllegalArgumentException unless {@code delta > 0}
     */
    public static Tensor huber(Tensor diff, float delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("huber_loss does not support non-positive values for delta, got " + delta);
        }
        float[] d = diff.data();
        float[] l = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            double a = Math.abs((double) d[i]);
            l[i] = (float) (a < delta ? 0.5 * a * a : delta * (a - 0.5 * delta));
        }
        return pointwise(diff, l, "HuberLossBackward", (g, x) -> g * Math.max(-delta, Math.min(delta, x)));
    }

    /**
     * Smooth L1 loss of a difference {@code d = input - target}, elementwise:
     * {@code l = 0.5 d^2 / beta} if {@code |d| < beta}, else {@code |d| - 0.5 beta}; {@code beta = 0}
     * is the L1 loss. Derivative: {@code dd = grad * clamp(d / beta, -1, 1)} ({@code grad * sign(d)}
     * for {@code beta = 0}). Saves {@code d}.
     *
     * @throws IllegalArgumentException for a negative or NaN {@code beta}
     */
    public static Tensor smoothL1(Tensor diff, float beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta, got " + beta);
        }
        float[] d = diff.data();
        float[] l = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            double a = Math.abs((double) d[i]);
            l[i] = (float) (a < beta ? 0.5 * a * a / beta : a - 0.5 * beta);
        }
        if (beta == 0f) {
            return pointwise(diff, l, "SmoothL1LossBackward", (g, x) -> g * Math.signum(x));
        }
        return pointwise(diff, l, "SmoothL1LossBackward",
            (g, x) -> x < -beta ? -g : x > beta ? g : g * (float) ((double) x / beta));
    }

    /** A derivative of an elementwise loss of its saved input {@code x} given upstream {@code g}. */
    @FunctionalInterface
    private interface Derivative {
        float grad(float g, float x);
    }

    private static Tensor pointwise(Tensor in, float[] out, String name, Derivative derivative) {
        if (!Node.isRecording(in)) {
            return Tensor.wrap(out, in.shape());
        }
        Saved saved = Saved.of(in, name);
        Node node = new Node(in) {
            private Saved x = saved;

            @Override
            public String name() {
                return name;
            }

            @Override
            protected float[][] backward(float[][] g) {
                float[] xs = x.data();
                float[] gy = g[0];
                float[] gx = new float[gy.length];
                for (int i = 0; i < gx.length; i++) {
                    gx[i] = derivative.grad(gy[i], xs[i]);
                }
                return new float[][] {gx};
            }

            @Override
            protected void releaseSaved() {
                x = null;
            }
        };
        return node.output(out, in.shape());
    }

    // ------------------------------------------------------------------ binary cross entropy with logits

    /**
     * Binary cross entropy of logits {@code x} against targets {@code y} of the same shape, with an
     * optional positive-class weight {@code p} broadcast to that shape, elementwise:
     * <pre>
     *   sp(x) = log(1 + e^-x) = max(-x, 0) + log1p(e^-|x|)      (never overflows)
     *   w     = 1 + (p - 1) y                                   (1 without p)
     *   l     = (1 - y) x + w sp(x)
     *   dx    = grad * ((1 - y) - w sigmoid(-x))
     *   dy    = grad * (-x + (p - 1) sp(x))
     * </pre>
     * {@code p} is a constant (PyTorch does not differentiate it either). Saves {@code x} and {@code y}.
     *
     * @param posWeight null, or a tensor broadcastable to {@code input}'s shape
     * @throws IllegalArgumentException when the shapes differ or {@code posWeight} does not broadcast
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor posWeight) {
        int[] shape = input.shape();
        if (!Arrays.equals(shape, target.shape())) {
            throw new IllegalArgumentException("Target size (" + Shape.format(target.shape())
                + ") must be the same as input size (" + Shape.format(shape) + ")");
        }
        float[] p = null;
        if (posWeight != null) {
            int[] b = Shape.broadcast(shape, posWeight.shape());
            if (!Arrays.equals(b, shape)) {
                throw new IllegalArgumentException("pos_weight of shape " + Shape.format(posWeight.shape())
                    + " does not broadcast to the input shape " + Shape.format(shape));
            }
            p = Broadcast.expand(posWeight.data(), posWeight.shape(), shape);
        }
        float[] x = input.data();
        float[] y = target.data();
        float[] l = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double yi = y[i];
            double w = p == null ? 1.0 : 1.0 + (p[i] - 1.0) * yi;
            l[i] = (float) ((1.0 - yi) * xi + w * softplusNeg(xi));
        }
        if (!Node.isRecording(input, target)) {
            return Tensor.wrap(l, shape);
        }
        float[] pw = p;
        Node node = new Node(input, target) {
            private Saved xs = Saved.of(input, "BinaryCrossEntropyWithLogitsBackward");
            private Saved ys = Saved.of(target, "BinaryCrossEntropyWithLogitsBackward");

            @Override
            public String name() {
                return "BinaryCrossEntropyWithLogitsBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                float[] gy = g[0];
                float[] xv = xs.data();
                float[] yv = ys.data();
                float[] dx = needsGrad(0) ? new float[gy.length] : null;
                float[] dy = needsGrad(1) ? new float[gy.length] : null;
                for (int i = 0; i < gy.length; i++) {
                    double xi = xv[i];
                    double yi = yv[i];
                    double pm1 = pw == null ? 0.0 : pw[i] - 1.0;
                    if (dx != null) {
                        double w = 1.0 + pm1 * yi;
                        dx[i] = (float) (gy[i] * ((1.0 - yi) - w * sigmoid(-xi)));
                    }
                    if (dy != null) {
                        dy[i] = (float) (gy[i] * (-xi + pm1 * softplusNeg(xi)));
                    }
                }
                return new float[][] {dx, dy};
            }

            @Override
            protected void releaseSaved() {
                xs = null;
                ys = null;
            }
        };
        return node.output(l, shape);
    }

    /** {@code log(1 + e^-x)} without overflow. */
    private static double softplusNeg(double x) {
        return Math.max(-x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    // ------------------------------------------------------------------ cross entropy

    /**
     * Per-element cross entropy of logits {@code input} of shape {@code (N, C, d1, ...)} (or
     * {@code (C)}) against class indices {@code target} (row-major over {@code (N, d1, ...)}), with
     * optional class weights {@code w} and label smoothing {@code eps}, as PyTorch defines it:
     * <pre>
     *   logp_c = z_c - max(z) - log(sum_k e^(z_k - max(z)))          (stable log-softmax over C)
     *   l      = (1 - eps) (-w_t logp_t) + (eps / C) (-sum_c w_c logp_c)
     *   l      = 0 where t == ignoreIndex
     *   dz_j   = grad * ((1 - eps) w_t (p_j - [j == t]) + (eps / C) (p_j sum_c w_c - w_j)),  p = softmax(z)
     * </pre>
     * with {@code w = 1} when no weights are given. The result has the target's shape: the
     * {@code reduction='none'} losses. PyTorch's sum is their sum and its mean is their sum divided
     * by {@link #crossEntropyWeightSum}. Saves the input.
     *
     * @param target class indices already validated to lie in {@code [0, C)} or equal {@code ignoreIndex}
     * @param weight null, or {@code C} class weights (a constant: not differentiated)
     * @param targetShape the shape of the result
     */
    public static Tensor crossEntropy(Tensor input, int[] target, Tensor weight, int ignoreIndex, float labelSmoothing,
            int[] targetShape) {
        int[] shape = input.shape();
        int classes = shape.length == 1 ? shape[0] : shape[1];
        int batch = shape.length == 1 ? 1 : shape[0];
        int spatial = 1;
        for (int i = 2; i < shape.length; i++) {
            spatial *= shape[i];
        }
        final int inner = spatial;
        if (target.length != batch * inner || Shape.numel(targetShape) != target.length) {
            throw new IllegalArgumentException("cross_entropy: " + target.length + " targets for input of shape "
                + Shape.format(shape));
        }
        float[] w = weight == null ? null : weight.data().clone();
        double weightTotal = 0;
        for (int c = 0; c < classes; c++) {
            weightTotal += w == null ? 1.0 : w[c];
        }
        CeGeometry geo = new CeGeometry(classes, inner, w, weightTotal);
        float[] z = input.data();
        float[] l = new float[target.length];
        double[] logp = new double[classes];
        for (int n = 0; n < batch; n++) {
            for (int k = 0; k < inner; k++) {
                int e = n * inner + k;
                int t = target[e];
                if (t == ignoreIndex) {
                    continue;
                }
                geo.logSoftmax(z, n, k, logp);
                double smooth = 0;
                for (int c = 0; c < classes; c++) {
                    smooth -= geo.weight(c) * logp[c];
                }
                double nll = -geo.weight(t) * logp[t];
                l[e] = (float) ((1.0 - labelSmoothing) * nll + labelSmoothing / classes * smooth);
            }
        }
        if (!Node.isRecording(input)) {
            return Tensor.wrap(l, targetShape);
        }
        int[] tgt = target.clone();
        int batchF = batch;
        Node node = new Node(input) {
            private Saved zs = Saved.of(input, "CrossEntropyLossBackward");

            @Override
            public String name() {
                return "CrossEntropyLossBackward";
            }

            @Override
            protected float[][] backward(float[][] g) {
                float[] gy = g[0];
                float[] zv = zs.data();
                float[] dz = new float[zv.length];
                double[] lp = new double[classes];
                double eps = labelSmoothing;
                for (int n = 0; n < batchF; n++) {
                    for (int k = 0; k < inner; k++) {
                        int e = n * inner + k;
                        int t = tgt[e];
                        if (t == ignoreIndex) {
                            continue;
                        }
                        geo.logSoftmax(zv, n, k, lp);
                        double wt = geo.weight(t);
                        for (int c = 0; c < classes; c++) {
                            double p = Math.exp(lp[c]);
                            double d = (1.0 - eps) * wt * (p - (c == t ? 1.0 : 0.0))
                                + eps / classes * (p * geo.weightTotal - geo.weight(c));
                            dz[(n * classes + c) * inner + k] = (float) (gy[e] * d);
                        }
                    }
                }
                return new float[][] {dz};
            }

            @Override
            protected void releaseSaved() {
                zs = null;
            }
        };
        return node.output(l, targetShape);
    }

    /**
     * The denominator of PyTorch's mean cross entropy: the sum of the class weights of the targets
     * that are not {@code ignoreIndex} (their count without weights).
     */
    public static double crossEntropyWeightSum(int[] target, Tensor weight, int ignoreIndex) {
        float[] w = weight == null ? null : weight.data();
        double s = 0;
        for (int t : target) {
            if (t != ignoreIndex) {
                s += w == null ? 1.0 : w[t];
            }
        }
        return s;
    }

    /** The layout of a cross-entropy input and its constants. */
    private static final class CeGeometry {
        final int classes;
        final int inner;
        final float[] w;
        final double weightTotal;

        CeGeometry(int classes, int inner, float[] w, double weightTotal) {
            this.classes = classes;
            this.inner = inner;
            this.w = w;
            this.weightTotal = weightTotal;
        }

        double weight(int c) {
            return w == null ? 1.0 : w[c];
        }

        /** Fills {@code out} with the log-softmax over classes of sample {@code n}, position {@code k}. */
        void logSoftmax(float[] z, int n, int k, double[] out) {
            int base = n * classes * inner + k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[base + c * inner]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[base + c * inner] - max);
            }
            double lse = max + Math.log(sum);
            for (int c = 0; c < classes; c++) {
                out[c] = z[base + c * inner] - lse;
            }
        }
    }
}
