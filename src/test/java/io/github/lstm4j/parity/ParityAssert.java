package io.github.lstm4j.parity;

import io.github.lstm4j.Tensor;
import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/**
 * Compares a computed tensor with a PyTorch reference value elementwise within
 * {@code |a - b| <= atol + rtol * |b|}, naming the tensor and the worst element on failure.
 * A 0-dim result matches a reference of shape {@code [1]} (PyTorch's fixtures store scalars so).
 */
public final class ParityAssert {

    /** The fixtures README's op-level tolerance. */
    public static final double OP_ATOL = 1e-5;
    /** The fixtures README's op-level relative tolerance. */
    public static final double OP_RTOL = 1e-4;

    private ParityAssert() {
    }

    /** Asserts closeness; {@code what} names the case and tensor (e.g. "linear_2d: grad.weight"). */
    public static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        if (actual == null) {
            throw new AssertionFailedError(what + ": no value computed (expected shape "
                + Arrays.toString(expected.shape()) + ")");
        }
        int[] es = expected.shape();
        int[] as = actual.shape();
        boolean scalarLike = expected.numel() == 1 && actual.numel() == 1 && es.length <= 1 && as.length <= 1;
        if (!Arrays.equals(es, as) && !scalarLike) {
            throw new AssertionFailedError(what + ": shape " + Arrays.toString(as) + ", expected "
                + Arrays.toString(es));
        }
        float[] e = expected.data();
        float[] a = actual.data();
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            double allowed = atol + rtol * Math.abs(e[i]);
            if (!(diff <= allowed)) {
                bad++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (worst >= 0) {
            throw new AssertionFailedError(String.format(java.util.Locale.ROOT,
                "%s: %d of %d elements differ; worst at flat index %d %s: got %.9g, expected %.9g "
                    + "(|diff| %.3g > %.3g = atol %.1g + rtol %.1g * |expected|)",
                what, bad, e.length, worst, Arrays.toString(unravel(worst, es.length == 0 ? new int[] {1} : es)),
                a[worst], e[worst], Math.abs((double) a[worst] - e[worst]),
                atol + rtol * Math.abs(e[worst]), atol, rtol));
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return idx;
    }
}
