package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;

/**
 * Elementwise functions of one tensor (and scalar forms of the arithmetic operators). Each op
 * keeps only what its derivative reads: its input, its output, or nothing.
 */
public final class Unary {

    private Unary() {
    }

    /** Which saved value a derivative reads. */
    private enum Reads { NOTHING, INPUT, OUTPUT }

    /** Derivative of an elementwise function given input {@code x}, output {@code y} and upstream {@code g}. */
    @FunctionalInterface
    private interface Derivative {
        float grad(float g, float x, float y);
    }

    /** Forward of an elementwise function. */
    @FunctionalInterface
    private interface Forward {
        float apply(float x);
    }

    private static Tensor pointwise(Tensor a, String name, Reads reads, Forward f, Derivative d) {
        float[] x = a.data();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.apply(x[i]);
        }
        if (!Node.isRecording(a)) {
            return Tensor.wrap(y, a.shape());
        }
        Pointwise node = new Pointwise(a, name, reads, d);
        Tensor out = node.output(y, a.shape());
        if (reads == Reads.OUTPUT) {
            node.saved = Saved.of(out, name);
        }
        return out;
    }

    /** {@code -a}; {@code dx = -grad}. */
    public static Tensor neg(Tensor a) {
        return pointwise(a, "NegBackward", Reads.NOTHING, x -> -x, (g, x, y) -> -g);
    }

    /** {@code a + s}; {@code dx = grad}. */
    public static Tensor addScalar(Tensor a, float s) {
        return pointwise(a, "AddBackward", Reads.NOTHING, x -> x + s, (g, x, y) -> g);
    }

    /** {@code a * s}; {@code dx = grad * s}. */
    public static Tensor mulScalar(Tensor a, float s) {
        return pointwise(a, "MulBackward", Reads.NOTHING, x -> x * s, (g, x, y) -> g * s);
    }

    /** {@code a / s}; {@code dx = grad / s}. */
    public static Tensor divScalar(Tensor a, float s) {
        return pointwise(a, "DivBackward", Reads.NOTHING, x -> x / s, (g, x, y) -> g / s);
    }

    /** {@code s - a}; {@code dx = -grad}. */
    public static Tensor rsubScalar(Tensor a, float s) {
        return pointwise(a, "RsubBackward", Reads.NOTHING, x -> s - x, (g, x, y) -> -g);
    }

    /** {@code s / a}; {@code dx = -grad * s / x^2}. */
    public static Tensor rdivScalar(Tensor a, float s) {
        return pointwise(a, "DivBackward", Reads.INPUT, x -> s / x, (g, x, y) -> -g * s / (x * x));
    }

    /** {@code a ^ p}; {@code dx = grad * p * x^(p-1)} (0 when {@code p == 0}). */
    public static Tensor powScalar(Tensor a, float p) {
        if (p == 2f) {
            return pointwise(a, "PowBackward", Reads.INPUT, x -> x * x, (g, x, y) -> g * 2f * x);
        }
        return pointwise(a, "PowBackward", Reads.INPUT, x -> (float) Math.pow(x, p),
            (g, x, y) -> p == 0f ? 0f : (float) (g * p * Math.pow(x, p - 1.0)));
    }

    /** {@code e^a}; {@code dx = grad * y}. */
    public static Tensor exp(Tensor a) {
        return pointwise(a, "ExpBackward", Reads.OUTPUT, x -> (float) Math.exp(x), (g, x, y) -> g * y);
    }

    /** {@code ln a}; {@code dx = grad / x}. */
    public static Tensor log(Tensor a) {
        return pointwise(a, "LogBackward", Reads.INPUT, x -> (float) Math.log(x), (g, x, y) -> g / x);
    }

    /** {@code sqrt a}; {@code dx = grad / (2 y)}. */
    public static Tensor sqrt(Tensor a) {
        return pointwise(a, "SqrtBackward", Reads.OUTPUT, x -> (float) Math.sqrt(x), (g, x, y) -> g / (2f * y));
    }

    /** {@code |a|}; {@code dx = grad * sign(x)} (0 at 0, as PyTorch). */
    public static Tensor abs(Tensor a) {
        return pointwise(a, "AbsBackward", Reads.INPUT, Math::abs, (g, x, y) -> g * Math.signum(x));
    }

    /** {@code tanh a}; {@code dx = grad * (1 - y^2)}. */
    public static Tensor tanh(Tensor a) {
        return pointwise(a, "TanhBackward", Reads.OUTPUT, x -> (float) Math.tanh(x), (g, x, y) -> g * (1f - y * y));
    }

    /** {@code 1 / (1 + e^-a)}; {@code dx = grad * y * (1 - y)}. */
    public static Tensor sigmoid(Tensor a) {
        return pointwise(a, "SigmoidBackward", Reads.OUTPUT, Unary::sigmoid, (g, x, y) -> g * y * (1f - y));
    }

    /** {@code max(a, 0)}; {@code dx = grad * [y > 0]}. */
    public static Tensor relu(Tensor a) {
        return pointwise(a, "ReluBackward", Reads.OUTPUT, x -> x > 0f ? x : 0f, (g, x, y) -> y > 0f ? g : 0f);
    }

    /**
     * {@code min(max(a, lo), hi)}; {@code dx = grad * [lo <= x <= hi]} (PyTorch passes the gradient
     * at the bounds). A NaN bound means no bound on that side.
     */
    public static Tensor clamp(Tensor a, float lo, float hi) {
        boolean hasLo = !Float.isNaN(lo);
        boolean hasHi = !Float.isNaN(hi);
        if (hasLo && hasHi && lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        return pointwise(a, "ClampBackward", Reads.INPUT,
            x -> {
                float v = x;
                if (hasLo && v < lo) {
                    v = lo;
                }
                if (hasHi && v > hi) {
                    v = hi;
                }
                return v;
            },
            (g, x, y) -> ((!hasLo || x >= lo) && (!hasHi || x <= hi)) ? g : 0f);
    }

    /** The logistic function, computed without overflow for large negative inputs. */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    private static final class Pointwise extends Node {
        private final String name;
        private final Reads reads;
        private final Derivative d;
        private Saved saved;

        Pointwise(Tensor in, String name, Reads reads, Derivative d) {
            super(in);
            this.name = name;
            this.reads = reads;
            this.d = d;
            this.saved = reads == Reads.INPUT ? Saved.of(in, name) : null;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        protected float[][] backward(float[][] gOut) {
            float[] g = gOut[0];
            float[] r = new float[g.length];
            if (reads == Reads.INPUT) {
                float[] x = saved.data();
                for (int i = 0; i < g.length; i++) {
                    r[i] = d.grad(g[i], x[i], 0f);
                }
            } else if (reads == Reads.OUTPUT) {
                float[] y = saved.data();
                for (int i = 0; i < g.length; i++) {
                    r[i] = d.grad(g[i], 0f, y[i]);
                }
            } else {
                for (int i = 0; i < g.length; i++) {
                    r[i] = d.grad(g[i], 0f, 0f);
                }
            }
            return new float[][] {r};
        }

        @Override
        protected void releaseSaved() {
            saved = null;
        }
    }
}
