package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scalar {@link Activations#kernelSigmoid} and {@link Activations#kernelTanh}, which the plain
 * provider's fused LSTM step uses, give the bits of a lane of {@link VectorMath}'s passes, which
 * the Vector API provider uses, for every float argument: a sweep over every 127th bit pattern
 * of the 2^32 (every sign, exponent and much of every mantissa: zeros, subnormals, normals,
 * infinities, NaNs), every float near the places where the arithmetic changes course, and a list
 * of special values. {@code -Dlstm4j.activations.stride=1} makes the sweep exhaustive.
 *
 * <p>Needs the {@code jdk.incubator.vector} module; not run by the {@code plain-fallback} execution.
 */
class KernelActivationsTest {

    /** Floats per vector call; a multiple of every lane count. */
    private static final int CHUNK = 1 << 12;

    /** Compares a batch of arguments on both sides; collects at most a few mismatches. */
    private static final class Checker {
        final float[] x = new float[CHUNK];
        final float[] sig = new float[CHUNK];
        final float[] tanh = new float[CHUNK];
        final float[] scratch = new float[CHUNK];
        final List<String> bad = new ArrayList<>();
        int filled;
        long checked;

        void add(float v) {
            x[filled++] = v;
            if (filled == CHUNK) {
                flush();
            }
        }

        void flush() {
            if (filled == 0) {
                return;
            }
            for (int i = filled; i < CHUNK; i++) {
                x[i] = 0f;
            }
            VectorMath.sigmoid(1, CHUNK, x, 0, 0, sig, 0, 0, scratch, 0, 0);
            VectorMath.tanh(1, CHUNK, x, 0, 0, tanh, 0, 0, scratch, 0, 0);
            for (int i = 0; i < filled; i++) {
                compare("sigmoid", x[i], sig[i], Activations.kernelSigmoid(x[i]));
                compare("tanh", x[i], tanh[i], Activations.kernelTanh(x[i]));
            }
            checked += filled;
            filled = 0;
        }

        private void compare(String f, float arg, float vector, float scalar) {
            int vb = Float.floatToRawIntBits(vector);
            int sb = Float.floatToRawIntBits(scalar);
            if (vb != sb && bad.size() < 8) {
                bad.add(f + "(" + arg + " = 0x" + Integer.toHexString(Float.floatToRawIntBits(arg)) + "): vector 0x"
                        + Integer.toHexString(vb) + " (" + vector + "), scalar 0x" + Integer.toHexString(sb)
                        + " (" + scalar + ")");
            }
        }

        void assertNoneDiffer() {
            flush();
            if (!bad.isEmpty()) {
                fail("vector and scalar activations differ: " + String.join("; ", bad));
            }
        }
    }

    @Test
    void scalarKernelActivationsGiveTheVectorBitsOverASweepOfAllFloats() {
        int stride = Integer.getInteger("lstm4j.activations.stride", 127);
        Checker ch = new Checker();
        long bits = 0;
        for (; bits <= 0xffffffffL; bits += stride) {
            ch.add(Float.intBitsToFloat((int) bits));
        }
        ch.assertNoneDiffer();
        assertTrue(ch.checked >= (1L << 32) / stride, "swept " + ch.checked + " floats");
    }

    @Test
    void scalarKernelActivationsGiveTheVectorBitsNearEveryTurningPoint() {
        Checker ch = new Checker();
        // the polynomial / exp switch of tanh, the clamp of exp (for scale 1 and 2), where 2^n
        // reaches the bottom of the normal range, where float tanh and sigmoid round to 1,
        // where the rounding of n = round(a log2 e) changes (odd multiples of ln2 / 2), and 0
        float[] centres = {0.625f, 87.33f, 87.33f / 2, 86.6f, 43.3f, 9.01f, 16.6f, 0.34657359f, 1.0397208f,
            1.7328680f, 5.5451774f, 20.101268f, 0f, Float.MIN_NORMAL};
        for (float centre : centres) {
            int c = Float.floatToRawIntBits(centre);
            for (int d = -20000; d <= 20000; d++) {
                float v = Float.intBitsToFloat(c + d);
                ch.add(v);
                ch.add(-v);
            }
        }
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            -Float.NaN, Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc12345), 1e-45f, 1e-38f,
            1e30f, -1e30f, 1f, -1f};
        for (float v : specials) {
            ch.add(v);
        }
        ch.assertNoneDiffer();
    }

    @Test
    void kernelActivationsKeepTheirSpecialValues() {
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Activations.kernelTanh(-0f)), "tanh(-0)");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(Activations.kernelTanh(0f)), "tanh(0)");
        assertEquals(1f, Activations.kernelTanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Activations.kernelTanh(Float.NEGATIVE_INFINITY));
        assertEquals(1f, Activations.kernelSigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0.5f, Activations.kernelSigmoid(0f));
        float tiny = Activations.kernelSigmoid(Float.NEGATIVE_INFINITY);
        assertTrue(tiny >= 0f && tiny < 2e-38f, "sigmoid(-inf) = " + tiny);
        assertTrue(Float.isNaN(Activations.kernelSigmoid(Float.NaN)));
        assertTrue(Float.isNaN(Activations.kernelTanh(Float.NaN)));
        // and close to the exact values (VectorMath's own bound, 3 ulps), on a sweep
        for (int b = 0; b < 0x42ae0000; b += 1021) {
            float v = Float.intBitsToFloat(b);
            for (float x : new float[] {v, -v}) {
                double s = 1 / (1 + Math.exp(-(double) x));
                double t = Math.tanh(x);
                assertTrue(Math.abs(Activations.kernelSigmoid(x) - s) <= 3 * Math.ulp((float) s), "sigmoid(" + x + ")");
                assertTrue(Math.abs(Activations.kernelTanh(x) - t) <= 3 * Math.ulp((float) t), "tanh(" + x + ")");
            }
        }
    }
}
