package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link KernelProvider} method gives the same bits on the plain and the Vector API
 * providers, on the same arguments: the fused LSTM step forward (with and without the recurrent
 * term, activations covering both branches of tanh, the clamp of exp, zeros and extremes) and
 * backward (with and without a second gradient part), the column sums, and the products
 * (here with strided operands and a beta other than 0 and 1; {@code reliability.DeterminismTest}
 * sweeps their shapes). Hidden sizes 1 to 70 cover rows shorter than a vector, whole vectors and
 * a partial last vector.
 *
 * <p>Needs the {@code jdk.incubator.vector} module; not run by the {@code plain-fallback} execution.
 */
class ProvidersGiveTheSameBitsTest {

    private KernelProvider plain;
    private KernelProvider vector;

    @BeforeEach
    void providers() {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no Vector API provider in this JVM");
        plain = Kernels.plain();
        vector = Kernels.vector().get();
    }

    /** The methods this class compares; a new one in the interface must be added here, and tested. */
    @Test
    void everyKernelProviderMethodIsCompared() {
        Set<String> methods = new TreeSet<>();
        for (Method m : KernelProvider.class.getMethods()) {
            methods.add(m.getName());
        }
        assertEquals(new TreeSet<>(Set.of("name", "gemm", "gemmConcat", "pack", "lstmForward", "lstmBackward",
                "columnSums", "adamUpdate")), methods);
    }

    /** Pre-activations spread over both branches of tanh and the clamp of exp, with a few extremes. */
    private static float[] preActivations(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
            switch (r.nextInt(40)) {
                case 0 -> x[i] = 0f;
                case 1 -> x[i] = -0f;
                case 2 -> x[i] = 95f * (r.nextBoolean() ? 1 : -1);
                case 3 -> x[i] = (float) (r.nextGaussian() * 1e-20);
                case 4 -> x[i] = 0.625f * (r.nextBoolean() ? 1 : -1);
                default -> { }
            }
        }
        return x;
    }

    private static float[] gaussians(Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        int[] e = new int[expected.length];
        int[] a = new int[actual.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = Float.floatToRawIntBits(expected[i]);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToRawIntBits(actual[i]);
        }
        int first = Arrays.mismatch(e, a);
        assertTrue(first < 0, () -> what + ": plain " + expected[first] + ", vector " + actual[first] + " at " + first);
    }

    @Test
    void lstmForwardGivesTheSameBits() {
        Random r = new Random(17);
        for (int hidden = 1; hidden <= 70; hidden++) {
            for (int rows : new int[] {1, 3}) {
                for (boolean withRec : new boolean[] {true, false}) {
                    int gRow = 4 * hidden + 3;   // row strides longer than the rows
                    int hRow = hidden + 2;
                    float[] gates = preActivations(r, 1 + rows * gRow);
                    float[] rec = withRec ? preActivations(r, 2 + rows * gRow) : null;
                    float[] c = preActivations(r, rows * hRow);
                    float[] tanhC = new float[rows * hRow + 1];
                    float[] h = new float[rows * hRow + 4];
                    float[][] p = {gates.clone(), c.clone(), tanhC.clone(), h.clone()};
                    float[][] v = {gates.clone(), c.clone(), tanhC.clone(), h.clone()};
                    plain.lstmForward(rows, hidden, p[0], 1, gRow, rec, 2, gRow, p[1], 0, hRow, p[2], 1, hRow, p[3], 4, hRow);
                    vector.lstmForward(rows, hidden, v[0], 1, gRow, rec, 2, gRow, v[1], 0, hRow, v[2], 1, hRow, v[3], 4, hRow);
                    String what = "lstmForward hidden " + hidden + ", rows " + rows + (withRec ? "" : ", rec null");
                    String[] names = {"gates", "c", "tanhC", "h"};
                    for (int q = 0; q < 4; q++) {
                        assertSameBits(p[q], v[q], what + ", " + names[q]);
                    }
                    // and it computed something: the activations replaced the pre-activations
                    assertTrue(!Arrays.equals(gates, p[0]), what);
                }
            }
        }
    }

    @Test
    void lstmBackwardGivesTheSameBits() {
        Random r = new Random(19);
        for (int hidden = 1; hidden <= 70; hidden++) {
            for (boolean withDh2 : new boolean[] {true, false}) {
                int rows = 2;
                int gRow = 4 * hidden + 1;
                int hRow = hidden + 3;
                float[] gates = new float[1 + rows * gRow];
                for (int i = 0; i < gates.length; i++) {
                    gates[i] = r.nextFloat() * 2 - 1;   // activations: i, f, o in (0, 1), g in (-1, 1)
                }
                float[] tanhC = gaussians(r, rows * hRow, 0.5);
                float[] cPrev = gaussians(r, rows * hRow, 2);
                float[] dh = gaussians(r, rows * hRow, 1);
                float[] dh2 = withDh2 ? gaussians(r, rows * hRow, 1) : null;
                float[] dc = gaussians(r, rows * hRow, 1);
                float[] dGates = new float[2 + rows * gRow];
                float[] dcP = dc.clone();
                float[] dgP = dGates.clone();
                float[] dcV = dc.clone();
                float[] dgV = dGates.clone();
                plain.lstmBackward(rows, hidden, gates, 1, gRow, tanhC, 0, hRow, cPrev, 0, hRow, dh, 0, hRow,
                        dh2, 0, hRow, dcP, 0, hRow, dgP, 2, gRow);
                vector.lstmBackward(rows, hidden, gates, 1, gRow, tanhC, 0, hRow, cPrev, 0, hRow, dh, 0, hRow,
                        dh2, 0, hRow, dcV, 0, hRow, dgV, 2, gRow);
                String what = "lstmBackward hidden " + hidden + (withDh2 ? ", dh2" : "");
                assertSameBits(dcP, dcV, what + ", dc");
                assertSameBits(dgP, dgV, what + ", dGates");
            }
        }
    }

    @Test
    void columnSumsGiveTheSameBits() {
        Random r = new Random(23);
        for (int rows : new int[] {1, 2, 31, 32, 33, 97, 300}) {
            for (int cols : new int[] {1, 7, 16, 17, 64, 70, 129}) {
                int ld = cols + 5;
                float[] x = gaussians(r, 3 + rows * ld, 10);
                for (int[] range : new int[][] {{0, cols}, {cols / 3, cols}, {0, (cols + 1) / 2}}) {
                    float[] sp = new float[cols];
                    float[] sv = new float[cols];
                    plain.columnSums(rows, range[0], range[1], x, 3, ld, sp);
                    vector.columnSums(rows, range[0], range[1], x, 3, ld, sv);
                    assertSameBits(sp, sv, "columnSums " + rows + "x" + cols + " columns " + range[0] + ".." + range[1]);
                }
            }
        }
    }

    /** A beta other than 0 and 1 scales C once, then the chain runs from it, on both providers. */
    @Test
    void productsWithAnyBetaGiveTheSameBits() {
        Random r = new Random(29);
        for (int[] s : new int[][] {{1, 1, 1}, {2, 33, 17}, {5, 70, 3}, {37, 19, 130}, {64, 200, 50}}) {
            for (boolean[] t : GemmCases.TRANSPOSES) {
                for (float beta : new float[] {0.5f, -1.75f, 0f, 1f}) {
                    GemmCases.Case cs = new GemmCases.Case(t[0], t[1], s[0], s[1], s[2], beta, 3, 1, 0, 2, 4, 3);
                    GemmCases.Operands x = GemmCases.Operands.random(cs, r);
                    GemmCases.Operands y = x.copy();
                    x.run(plain);
                    y.run(vector);
                    assertSameBits(x.c, y.c, cs.toString());
                    x.verify(x.reference(), "plain " + cs);
                }
            }
        }
        assertEquals("plain", plain.name());
        assertEquals("vector", vector.name());
    }

    /**
     * The product of a two-part A by a packed B (an LSTM step's {@code [x_t h_{t-1}]}) gives the
     * same bits on both, and those of A stored whole; the splits include none, a k block's edge
     * (256, the vector KC) and past it.
     */
    @Test
    void productsOfATwoPartAGiveTheSameBits() {
        Random r = new Random(31);
        for (int[] s : new int[][] {{32, 200, 51, 1}, {32, 200, 100, 50}, {7, 33, 3, 0}, {9, 70, 260, 128}, {3, 40, 530, 256},
            {13, 17, 150, 140}, {5, 64, 20, 20}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            int k1 = s[3];
            float[] a = gaussians(r, m * k, 1);
            float[] a1 = new float[m * (k1 + 1)];
            float[] a2 = new float[m * (k - k1 + 2)];
            for (int i = 0; i < m; i++) {
                System.arraycopy(a, i * k, a1, i * (k1 + 1), k1);
                System.arraycopy(a, i * k + k1, a2, i * (k - k1 + 2), k - k1);
            }
            float[] b = gaussians(r, k * n, 1);
            float[] c = gaussians(r, m * n, 1);
            for (float[] bias : new float[][] {null, gaussians(r, n, 1)}) {
                float[] whole = c.clone();
                float[] cp = c.clone();
                float[] cv = c.clone();
                PackedMatrix bp = plain.pack(false, k, n, b, 0, n);
                PackedMatrix bv = vector.pack(false, k, n, b, 0, n);
                for (int i = 0; i < m && bias != null; i++) {
                    System.arraycopy(bias, 0, whole, i * n, n);
                }
                plain.gemm(m, a, 0, k, bp, bias != null ? 1f : 0f, whole, 0, n);
                plain.gemmConcat(m, a1, 0, k1 + 1, k1, a2, 0, k - k1 + 2, bp, bias, cp, 0, n);
                vector.gemmConcat(m, a1, 0, k1 + 1, k1, a2, 0, k - k1 + 2, bv, bias, cv, 0, n);
                bp.release();
                bv.release();
                String what = "[A1 A2] m=" + m + " n=" + n + " k=" + k + " k1=" + k1 + (bias != null ? " with a bias" : "");
                assertSameBits(whole, cp, "plain " + what + " vs A whole");
                assertSameBits(cp, cv, what);
            }
        }
    }

    /**
     * The Adam update gives the same bits on both, over lengths around the vector length, with
     * gradients, moments and parameters of very different sizes (zeros, tiny and huge values);
     * checked against the formula in double for the ordinary elements.
     */
    @Test
    void adamUpdatesGiveTheSameBits() {
        Random r = new Random(37);
        for (int n : new int[] {1, 7, 15, 16, 17, 33, 200, 1001}) {
            float[] p = gaussians(r, n, 1);
            float[] g = gaussians(r, n, 0.1);
            float[] m = gaussians(r, n, 0.01);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) Math.abs(r.nextGaussian() * 1e-4);
                switch (r.nextInt(10)) {
                    case 0 -> g[i] = 0f;
                    case 1 -> g[i] = 1e-30f;
                    case 2 -> g[i] = 3e18f;
                    case 3 -> v[i] = 0f;
                    default -> { }
                }
            }
            float[][] a = {p.clone(), m.clone(), v.clone()};
            float[][] b = {p.clone(), m.clone(), v.clone()};
            // beta1 0.9, beta2 0.999, step 3, lr 1e-3, eps 1e-8: the scalars as AdamFamily makes them
            float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999, 3));
            float negStep = (float) (-1e-3 / (1 - Math.pow(0.9, 3)));
            plain.adamUpdate(n, a[0], g, a[1], a[2], 0.9f, (float) (1 - 0.9), 0.999f, (float) (1 - 0.999), bc2Sqrt,
                    1e-8f, negStep);
            vector.adamUpdate(n, b[0], g, b[1], b[2], 0.9f, (float) (1 - 0.9), 0.999f, (float) (1 - 0.999), bc2Sqrt,
                    1e-8f, negStep);
            String[] names = {"param", "exp_avg", "exp_avg_sq"};
            for (int q = 0; q < 3; q++) {
                assertSameBits(a[q], b[q], "adam n=" + n + " " + names[q]);
            }
            for (int i = 0; i < n; i++) {
                if (Math.abs(g[i]) > 1e10 || Math.abs(g[i]) < 1e-20) {
                    continue;
                }
                double mi = m[i] * 0.9 + 0.1 * g[i];
                double vi = v[i] * 0.999 + 0.001 * g[i] * (double) g[i];
                double pi = p[i] + negStep * mi / (Math.sqrt(vi) / bc2Sqrt + 1e-8);
                // float rounding of each term (the two terms of exp_avg may nearly cancel)
                assertEquals(mi, a[1][i], 1e-6 * (Math.abs(m[i]) + Math.abs(g[i])) + 1e-12, "exp_avg " + i);
                assertEquals(pi, a[0][i], 1e-3 * Math.abs(pi - p[i]) + 1e-6 * Math.abs(pi), "param " + i);
            }
        }
    }

    /** k = 0 leaves beta * C, and m or n = 0 touches nothing, on both. */
    @Test
    void emptyProductsGiveTheSameBits() {
        float[] c = {1.5f, -2f, Float.NaN, 3f};
        for (float beta : new float[] {0f, 1f, 0.5f}) {
            float[] cp = c.clone();
            float[] cv = c.clone();
            plain.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, beta, cp, 0, 2);
            vector.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, beta, cv, 0, 2);
            assertSameBits(cp, cv, "k = 0, beta " + beta);
        }
        float[] cp = c.clone();
        plain.gemm(false, false, 0, 2, 3, new float[0], 0, 3, new float[6], 0, 2, 0f, cp, 0, 2);
        assertArrayEquals(c, cp);
    }
}
