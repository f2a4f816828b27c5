package io.github.lstm4j.autograd.ops;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Node;
import io.github.lstm4j.autograd.Saved;
import io.github.lstm4j.tensor.Broadcast;
import io.github.lstm4j.tensor.Shape;

/**
 * Elementwise binary operations with PyTorch's broadcasting. Each op's backward computes the
 * gradient at the broadcast shape and sums it back down to each input's shape.
 */
public final class Binary {

    private Binary() {
    }

    /** {@code a + b}; {@code da = grad}, {@code db = grad}. */
    public static Tensor add(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, (x, y) -> x + y);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        return new AddSub(a, b, out, 1f).output(r, out);
    }

    /** {@code a - b}; {@code da = grad}, {@code db = -grad}. */
    public static Tensor sub(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, (x, y) -> x - y);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        return new AddSub(a, b, out, -1f).output(r, out);
    }

    /** {@code a * b}; {@code da = grad * b}, {@code db = grad * a}. */
    public static Tensor mul(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, (x, y) -> x * y);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        return new Mul(a, b, out).output(r, out);
    }

    /** {@code a / b}; {@code da = grad / b}, {@code db = -grad * a / b^2}. */
    public static Tensor div(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, (x, y) -> x / y);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        return new Div(a, b, out).output(r, out);
    }

    /**
     * {@code a ^ b} elementwise; {@code da = grad * b * a^(b-1)}, {@code db = grad * a^b * ln(a)}
     * (0 where {@code a == 0}, as PyTorch does for {@code b >= 0}).
     */
    public static Tensor pow(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, (x, y) -> (float) Math.pow(x, y));
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        Pow node = new Pow(a, b, out);
        Tensor result = node.output(r, out);
        if (node.needsGrad(1)) {
            node.result = Saved.of(result, "PowBackward");
        }
        return result;
    }

    /**
     * Elementwise maximum; the gradient goes to the larger input (split evenly on ties, as
     * PyTorch does): {@code da = grad * [a > b] + grad/2 * [a == b]}.
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        int[] out = Shape.broadcast(a.shape(), b.shape());
        float[] r = Broadcast.binary(a.data(), a.shape(), b.data(), b.shape(), out, Math::max);
        if (!Node.isRecording(a, b)) {
            return Tensor.wrap(r, out);
        }
        return new Maximum(a, b, out).output(r, out);
    }

    private static final class AddSub extends Node {
        private final int[] aShape;
        private final int[] bShape;
        private final int[] out;
        private final float sign;

        AddSub(Tensor a, Tensor b, int[] out, float sign) {
            super(a, b);
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.out = out;
            this.sign = sign;
        }

        @Override
        public String name() {
            return sign > 0 ? "AddBackward" : "SubBackward";
        }

        @Override
        protected float[][] backward(float[][] g) {
            float[] grad = g[0];
            float[] ga = needsGrad(0) ? Broadcast.sumTo(grad, out, aShape) : null;
            float[] gb = null;
            if (needsGrad(1)) {
                gb = Broadcast.sumTo(grad, out, bShape);
                if (sign < 0) {
                    gb = gb == grad ? gb.clone() : gb;
                    for (int i = 0; i < gb.length; i++) {
                        gb[i] = -gb[i];
                    }
                }
            }
            return new float[][] {ga, gb};
        }
    }

    private static final class Mul extends Node {
        private Saved a;
        private Saved b;
        private final int[] aShape;
        private final int[] bShape;
        private final int[] out;

        Mul(Tensor a, Tensor b, int[] out) {
            super(a, b);
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.out = out;
            this.a = needsGrad(1) ? Saved.of(a, "MulBackward") : null;
            this.b = needsGrad(0) ? Saved.of(b, "MulBackward") : null;
        }

        @Override
        protected float[][] backward(float[][] g) {
            float[] grad = g[0];
            float[] ga = null;
            float[] gb = null;
            if (needsGrad(0)) {
                float[] p = Broadcast.binary(grad, out, b.data(), bShape, out, (x, y) -> x * y);
                ga = Broadcast.sumTo(p, out, aShape);
            }
            if (needsGrad(1)) {
                float[] p = Broadcast.binary(grad, out, a.data(), aShape, out, (x, y) -> x * y);
                gb = Broadcast.sumTo(p, out, bShape);
            }
            return new float[][] {ga, gb};
        }

        @Override
        protected void releaseSaved() {
            a = null;
            b = null;
        }
    }

    private static final class Div extends Node {
        private Saved a;
        private Saved b;
        private final int[] aShape;
        private final int[] bShape;
        private final int[] out;

        Div(Tensor a, Tensor b, int[] out) {
            super(a, b);
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.out = out;
            this.a = needsGrad(1) ? Saved.of(a, "DivBackward") : null;
            this.b = Saved.of(b, "DivBackward");
        }

        @Override
        protected float[][] backward(float[][] g) {
            float[] grad = g[0];
            float[] ga = null;
            float[] gb = null;
            float[] bd = b.data();
            if (needsGrad(0)) {
                float[] p = Broadcast.binary(grad, out, bd, bShape, out, (x, y) -> x / y);
                ga = Broadcast.sumTo(p, out, aShape);
            }
            if (needsGrad(1)) {
                float[] ab = Broadcast.binary(a.data(), aShape, bd, bShape, out, (x, y) -> x / (y * y));
                for (int i = 0; i < ab.length; i++) {
                    ab[i] = -grad[i] * ab[i];
                }
                gb = Broadcast.sumTo(ab, out, bShape);
            }
            return new float[][] {ga, gb};
        }

        @Override
        protected void releaseSaved() {
            a = null;
            b = null;
        }
    }

    private static final class Pow extends Node {
        private Saved a;
        private Saved b;
        private Saved result;
        private final int[] aShape;
        private final int[] bShape;
        private final int[] out;

        Pow(Tensor a, Tensor b, int[] out) {
            super(a, b);
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.out = out;
            this.a = Saved.of(a, "PowBackward");
            this.b = Saved.of(b, "PowBackward");
        }

        @Override
        protected float[][] backward(float[][] g) {
            float[] grad = g[0];
            float[] ga = null;
            float[] gb = null;
            if (needsGrad(0)) {
                float[] d = Broadcast.binary(a.data(), aShape, b.data(), bShape, out,
                    (x, y) -> y == 0f ? 0f : (float) (y * Math.pow(x, y - 1.0)));
                for (int i = 0; i < d.length; i++) {
                    d[i] *= grad[i];
                }
                ga = Broadcast.sumTo(d, out, aShape);
            }
            if (needsGrad(1)) {
                float[] ax = Broadcast.expand(a.data(), aShape, out);
                float[] r = result.data();
                float[] d = new float[r.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = ax[i] == 0f ? 0f : (float) (grad[i] * r[i] * Math.log(ax[i]));
                }
                gb = Broadcast.sumTo(d, out, bShape);
            }
            return new float[][] {ga, gb};
        }

        @Override
        protected void releaseSaved() {
            a = null;
            b = null;
            result = null;
        }
    }

    private static final class Maximum extends Node {
        private Saved a;
        private Saved b;
        private final int[] aShape;
        private final int[] bShape;
        private final int[] out;

        Maximum(Tensor a, Tensor b, int[] out) {
            super(a, b);
            this.aShape = a.shape();
            this.bShape = b.shape();
            this.out = out;
            this.a = Saved.of(a, "MaximumBackward");
            this.b = Saved.of(b, "MaximumBackward");
        }

        @Override
        protected float[][] backward(float[][] g) {
            float[] grad = g[0];
            float[] wa = Broadcast.binary(a.data(), aShape, b.data(), bShape, out,
                (x, y) -> x > y ? 1f : (x == y ? 0.5f : 0f));
            float[] ga = null;
            float[] gb = null;
            if (needsGrad(0)) {
                float[] d = new float[wa.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = grad[i] * wa[i];
                }
                ga = Broadcast.sumTo(d, out, aShape);
            }
            if (needsGrad(1)) {
                float[] d = new float[wa.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = grad[i] * (1f - wa[i]);
                }
                gb = Broadcast.sumTo(d, out, bShape);
            }
            return new float[][] {ga, gb};
        }

        @Override
        protected void releaseSaved() {
            a = null;
            b = null;
        }
    }
}
