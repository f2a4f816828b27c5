package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.GemmThreadsTest.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vector provider's LSTM step against the scalar reference ({@link LstmKernels}), for every
 * hidden size from 1 to 70 (whole vectors, a partial last vector, and rows of less than one
 * vector), and its activations ({@link VectorMath}) against the exact functions.
 */
class LstmKernelsTest {

    private KernelProvider vector;

    @BeforeEach
    void needsTheVectorProvider() {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "jdk.incubator.vector is not in the boot layer");
        vector = Kernels.vector().get();
    }

    /** The distance from {@code actual} to {@code exact} in float ulps of {@code exact}. */
    private static double ulps(float actual, double exact) {
        return Math.abs(actual - exact) / Math.ulp((float) exact);
    }

    @Test
    void vectorSigmoidAndTanhAreWithinThreeUlpsOfTheExactValues() {
        int lanes = VectorMath.S.length();
        float[] xs = new float[lanes];
        float[] ys = new float[lanes];
        float[] ts = new float[lanes];
        float[] scratch = new float[lanes];
        double worstSigmoid = 0;
        double worstTanh = 0;
        // every 401st float from -87 to 87 (about 5.6 million values), crossing every branch
        int from = Float.floatToRawIntBits(87f);
        for (int sign = 0; sign < 2; sign++) {
            for (int bits = from; bits > 0; bits -= 401 * lanes) {
                for (int l = 0; l < lanes; l++) {
                    float x = Float.intBitsToFloat(Math.max(bits - 401 * l, 1));
                    xs[l] = sign == 0 ? x : -x;
                }
                VectorMath.sigmoid(1, lanes, xs, 0, 0, ys, 0, 0, scratch, 0, 0);
                VectorMath.tanh(1, lanes, xs, 0, 0, ts, 0, 0, scratch, 0, 0);
                for (int l = 0; l < lanes; l++) {
                    double x = xs[l];
                    double s = 1 / (1 + Math.exp(-x));
                    double t = Math.tanh(x);
                    if (s > 0x1p-126) {      // normal results only; below, see the next test
                        worstSigmoid = Math.max(worstSigmoid, ulps(ys[l], s));
                    }
                    worstTanh = Math.max(worstTanh, ulps(ts[l], t));
                }
            }
        }
        // measured: 2.5 and 1.8 (the scalar Activations: 0.5); PyTorch's own vector kernels are as far
        assertTrue(worstSigmoid <= 3, "sigmoid is " + worstSigmoid + " ulps off");
        assertTrue(worstTanh <= 3, "tanh is " + worstTanh + " ulps off");
    }

    @Test
    void vectorActivationsHandleZerosInfinitiesNaNAndHugeArguments() {
        float[] xs = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e30f, -1e30f, -100f,
            Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, 20f, -20f, 0.625f, -0.625f};
        int lanes = VectorMath.S.length();
        float[] scratch = new float[lanes];
        for (int start = 0; start < xs.length; start += lanes) {
            float[] chunk = new float[lanes];
            System.arraycopy(xs, start, chunk, 0, Math.min(lanes, xs.length - start));
            float[] s = new float[lanes];
            float[] t = new float[lanes];
            VectorMath.sigmoid(1, lanes, chunk, 0, 0, s, 0, 0, scratch, 0, 0);
            VectorMath.tanh(1, lanes, chunk, 0, 0, t, 0, 0, scratch, 0, 0);
            for (int l = 0; l < lanes && start + l < xs.length; l++) {
                float x = chunk[l];
                String at = " at " + x;
                if (Float.isNaN(x)) {
                    assertTrue(Float.isNaN(s[l]) && Float.isNaN(t[l]), "NaN in, NaN out" + at);
                } else if (x < -87f) {
                    // e^x below the normal range: about 1e-38 instead of a subnormal or 0
                    assertTrue(s[l] >= 0f && s[l] < 2e-38f, "sigmoid" + at + " = " + s[l]);
                    assertEquals(-1f, t[l], "tanh" + at);
                } else {
                    assertEquals((float) (1 / (1 + Math.exp(-(double) x))), s[l], Math.ulp(s[l]) * 3, "sigmoid" + at);
                    assertEquals((float) Math.tanh(x), t[l], Math.ulp(t[l]) * 3, "tanh" + at);
                }
            }
        }
        // tanh is odd down to the sign of zero
        float[] zeros = new float[lanes];
        zeros[0] = -0f;
        float[] t = new float[lanes];
        VectorMath.tanh(1, lanes, zeros, 0, 0, t, 0, 0, scratch, 0, 0);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t[0]), "tanh(-0) is -0");
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(t[1]), "tanh(0) is 0");
    }

    @Test
    void forwardStepMatchesTheScalarReferenceForEveryHiddenSizeUpTo70() {
        Random rnd = new Random(31);
        for (int hidden = 1; hidden <= 70; hidden++) {
            int g4 = 4 * hidden;
            // the row at offsets, with padding around it, to catch writes outside it
            float[] gates = random(rnd, g4 + 9, 3f);
            float[] rec = random(rnd, g4 + 5, 3f);
            float[] c = random(rnd, hidden + 7, 2f);
            float[] gates2 = gates.clone();
            float[] c2 = c.clone();
            float[] tanhC = new float[hidden + 4];
            float[] h = new float[hidden + 6];
            float[] tanhC2 = tanhC.clone();
            float[] h2 = h.clone();
            LstmKernels.forwardRow(hidden, gates, 3, rec, 2, c, 5, tanhC, 1, h, 4);
            vector.lstmForward(1, hidden, gates2, 3, 0, rec, 2, 0, c2, 5, 0, tanhC2, 1, 0, h2, 4, 0);
            assertClose(gates, gates2, "gates, hidden " + hidden);
            assertClose(c, c2, "c, hidden " + hidden);
            assertClose(tanhC, tanhC2, "tanh(c), hidden " + hidden);
            assertClose(h, h2, "h, hidden " + hidden);
        }
    }

    @Test
    void forwardAndBackwardOverManyStridedRowsMatchTheScalarReferenceRowByRow() {
        Random rnd = new Random(34);
        for (int hidden : new int[] {1, 7, 16, 50, 64, 67}) {
            int rows = 5;
            int g4 = 4 * hidden;
            int gRow = g4 + 3;        // rows further apart than their length, as in a padded buffer
            int hRow = hidden + 2;
            float[] gates = random(rnd, 1 + rows * gRow, 3f);
            float[] rec = random(rnd, 2 + rows * gRow, 3f);
            float[] c = random(rnd, rows * hRow, 2f);
            float[] gates2 = gates.clone();
            float[] c2 = c.clone();
            float[] tanhC = new float[rows * hRow];
            float[] h = new float[rows * hRow];
            float[] tanhC2 = tanhC.clone();
            float[] h2 = h.clone();
            for (int r = 0; r < rows; r++) {
                LstmKernels.forwardRow(hidden, gates, 1 + r * gRow, rec, 2 + r * gRow, c, r * hRow,
                        tanhC, r * hRow, h, r * hRow);
            }
            vector.lstmForward(rows, hidden, gates2, 1, gRow, rec, 2, gRow, c2, 0, hRow, tanhC2, 0, hRow, h2, 0, hRow);
            assertClose(gates, gates2, "gates of " + rows + " rows, hidden " + hidden);
            assertClose(c, c2, "c of " + rows + " rows, hidden " + hidden);
            assertClose(h, h2, "h of " + rows + " rows, hidden " + hidden);
            // backward, dh in two parts, from the same saved values
            float[] dh = random(rnd, rows * hRow, 1f);
            float[] dh2 = random(rnd, rows * hRow, 1f);
            float[] dc = random(rnd, rows * hRow, 1f);
            float[] dc2 = dc.clone();
            float[] dGates = new float[rows * gRow];
            float[] dGates2 = dGates.clone();
            for (int r = 0; r < rows; r++) {
                LstmKernels.backwardRow(hidden, gates, 1 + r * gRow, tanhC, r * hRow, c, r * hRow,
                        dh, r * hRow, dh2, r * hRow, dc, r * hRow, dGates, r * gRow);
            }
            vector.lstmBackward(rows, hidden, gates, 1, gRow, tanhC, 0, hRow, c, 0, hRow, dh, 0, hRow, dh2, 0, hRow,
                    dc2, 0, hRow, dGates2, 0, gRow);
            assertSameBits(dGates, dGates2, "dGates of " + rows + " rows, hidden " + hidden);
            assertSameBits(dc, dc2, "dc of " + rows + " rows, hidden " + hidden);
        }
    }

    @Test
    void backwardStepGivesTheScalarReferencesBitsForEveryHiddenSizeUpTo70() {
        Random rnd = new Random(32);
        for (int hidden = 1; hidden <= 70; hidden++) {
            for (boolean twoParts : new boolean[] {false, true}) {
                int g4 = 4 * hidden;
                float[] gates = new float[g4 + 3];
                for (int i = 0; i < gates.length; i++) {
                    gates[i] = rnd.nextFloat();          // activations in (0, 1)
                }
                float[] tanhC = random(rnd, hidden + 2, 1f);
                float[] cPrev = random(rnd, hidden + 4, 2f);
                float[] dh = random(rnd, hidden + 1, 1f);
                float[] dh2 = twoParts ? random(rnd, hidden + 5, 1f) : null;
                float[] dc = random(rnd, hidden + 3, 1f);
                float[] dc2 = dc.clone();
                float[] dGates = new float[g4 + 6];
                float[] dGates2 = dGates.clone();
                LstmKernels.backwardRow(hidden, gates, 3, tanhC, 2, cPrev, 4, dh, 1, dh2, 5, dc, 3, dGates, 6);
                vector.lstmBackward(1, hidden, gates, 3, 0, tanhC, 2, 0, cPrev, 4, 0, dh, 1, 0, dh2, 5, 0,
                        dc2, 3, 0, dGates2, 6, 0);
                assertSameBits(dGates, dGates2, "dGates, hidden " + hidden + (twoParts ? ", dh in two parts" : ""));
                assertSameBits(dc, dc2, "dc, hidden " + hidden);
            }
        }
    }

    /**
     * Rows that follow each other without a gap (the layout of the fused LSTM), which the vector
     * step runs as passes over all rows at once: the same bits as the plain provider's step, row
     * by row, for every hidden size 1..70 and 1..6 rows, with and without the recurrent term. The
     * arrays have room before and after, which must stay untouched.
     */
    @Test
    void contiguousRowsGiveThePlainProvidersBits() {
        Random rnd = new Random(11);
        KernelProvider plain = Kernels.plain();
        for (int hidden = 1; hidden <= 70; hidden++) {
            for (int rows = 1; rows <= 6; rows++) {
                for (boolean withRec : new boolean[] {true, false}) {
                    int g4 = 4 * hidden;
                    float[] gates = random(rnd, 3 + rows * g4 + 5, 3f);
                    float[] rec = withRec ? random(rnd, 2 + rows * g4 + 4, 1f) : null;
                    float[] c = random(rnd, 5 + rows * hidden + 3, 2f);
                    float[] tanhC = random(rnd, 1 + rows * hidden + 2, 1f);
                    float[] h = random(rnd, 4 + rows * hidden + 1, 1f);
                    float[] gates2 = gates.clone();
                    float[] c2 = c.clone();
                    float[] tanhC2 = tanhC.clone();
                    float[] h2 = h.clone();
                    plain.lstmForward(rows, hidden, gates, 3, g4, rec, 2, g4, c, 5, hidden, tanhC, 1, hidden,
                            h, 4, hidden);
                    vector.lstmForward(rows, hidden, gates2, 3, g4, rec, 2, g4, c2, 5, hidden, tanhC2, 1, hidden,
                            h2, 4, hidden);
                    String what = rows + " rows, hidden " + hidden + (withRec ? "" : ", no recurrent term");
                    assertSameBits(gates, gates2, "gates of " + what);
                    assertSameBits(c, c2, "c of " + what);
                    assertSameBits(tanhC, tanhC2, "tanh(c) of " + what);
                    assertSameBits(h, h2, "h of " + what);
                }
            }
        }
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian() * scale;
        }
        return x;
    }

    /** Within a few ulps: 4e-7 relative or absolute, the two-ulp activations passed through one more step. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = 4e-7 * Math.max(1, Math.abs(expected[i]));
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ": element " + i + " is " + actual[i] + " instead of " + expected[i]);
            }
        }
    }
}
