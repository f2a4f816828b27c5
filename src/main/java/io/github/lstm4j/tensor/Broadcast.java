package io.github.lstm4j.tensor;

/**
 * Plain kernels for broadcasting: applying a binary function over two broadcast operands, and
 * the inverse, summing a gradient back down to an operand's shape.
 */
public final class Broadcast {

    private Broadcast() {
    }

    /** A float binary function, specialised to avoid boxing. */
    @FunctionalInterface
    public interface FloatBinary {
        /** The result for one pair of elements. */
        float apply(float a, float b);
    }

    /**
     * Returns a new array of shape {@code out} with {@code f(a[i], b[i])} for every element, reading
     * {@code a} and {@code b} broadcast to {@code out}. Reads {@code a} and {@code b} only.
     */
    public static float[] binary(float[] a, int[] aShape, float[] b, int[] bShape, int[] out, FloatBinary f) {
        int n = Shape.numel(out);
        float[] r = new float[n];
        if (n == 0) {
            return r;
        }
        if (a.length == n && b.length == n) {
            for (int i = 0; i < n; i++) {
                r[i] = f.apply(a[i], b[i]);
            }
        } else if (b.length == 1 && a.length == n) {
            float s = b[0];
            for (int i = 0; i < n; i++) {
                r[i] = f.apply(a[i], s);
            }
        } else if (a.length == 1 && b.length == n) {
            float s = a[0];
            for (int i = 0; i < n; i++) {
                r[i] = f.apply(s, b[i]);
            }
        } else {
            int[] ao = Shape.offsets(out, Shape.broadcastStrides(aShape, out));
            int[] bo = Shape.offsets(out, Shape.broadcastStrides(bShape, out));
            for (int i = 0; i < n; i++) {
                r[i] = f.apply(a[ao[i]], b[bo[i]]);
            }
        }
        return r;
    }

    /**
     * Gathers {@code a} (of shape {@code in}) broadcast to shape {@code out} into a new array.
     */
    public static float[] expand(float[] a, int[] in, int[] out) {
        int n = Shape.numel(out);
        if (a.length == n) {
            return a.clone();
        }
        float[] r = new float[n];
        int[] ao = Shape.offsets(out, Shape.broadcastStrides(in, out));
        for (int i = 0; i < n; i++) {
            r[i] = a[ao[i]];
        }
        return r;
    }

    /**
     * Sums {@code grad}, laid out with shape {@code gradShape}, down to {@code target}: the reverse
     * of broadcasting {@code target} up to {@code gradShape}. Returns {@code grad} itself when the
     * shapes have the same element count (nothing was broadcast), otherwise a new array.
     */
    public static float[] sumTo(float[] grad, int[] gradShape, int[] target) {
        int n = Shape.numel(target);
        if (n == grad.length) {
            return grad;
        }
        float[] r = new float[n];
        if (n == 1) {
            double s = 0;
            for (float g : grad) {
                s += g;
            }
            r[0] = (float) s;
            return r;
        }
        int[] to = Shape.offsets(gradShape, Shape.broadcastStrides(target, gradShape));
        for (int i = 0; i < grad.length; i++) {
            r[to[i]] += grad[i];
        }
        return r;
    }
}
