package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The operands of GEMM test cases and the naive reference they are held to, shared by the GEMM
 * tests.
 *
 * <p>Tolerance: entries of A, B and the old C are drawn from [-1, 1], so every product has
 * magnitude at most 1 and an entry of C is a sum of k such products plus beta times an old entry.
 * We accept {@code |c - ref| <= 1e-5 * (k + 1) * scale}, with {@code scale = max(1, |beta|)}:
 * about 80 float ulps of 1 per term, loose enough for any summation order and for fused versus
 * separate multiply-add, tight enough to catch a single wrong or missing term (which moves a
 * result by ~0.3 on average).
 *
 * <p>Whatever lies outside a matrix in its array is a sentinel: NaN around A and B (so reading it
 * would poison the result) and a fixed value around C (so writing it is detected).
 */
final class GemmCases {

    static final float C_SENTINEL = 1234.5f;
    static final boolean[][] TRANSPOSES = {{false, false}, {false, true}, {true, false}, {true, true}};

    private GemmCases() {
    }

    static Case randomCase(Random rnd, int max) {
        boolean[] t = TRANSPOSES[rnd.nextInt(4)];
        float beta = rnd.nextInt(4) == 0 ? 1f : rnd.nextInt(3) == 0 ? 0.5f : 0f;
        return new Case(t[0], t[1], 1 + rnd.nextInt(max), 1 + rnd.nextInt(max), 1 + rnd.nextInt(max), beta,
                rnd.nextInt(9), rnd.nextInt(4), rnd.nextInt(9), rnd.nextInt(4), rnd.nextInt(9), rnd.nextInt(4));
    }

    static double tolerance(Case cs) {
        return 1e-5 * (cs.k + 1) * Math.max(1.0, Math.abs(cs.beta));
    }

    static void check(KernelProvider p, Case cs, Random rnd) {
        Operands x = Operands.random(cs, rnd);
        double[] ref = x.reference();
        x.run(p);
        x.verify(ref, p.name() + " " + cs);
    }

    /** One call's shape: sizes, beta, offsets and the padding added to each row stride. */
    record Case(boolean transA, boolean transB, int m, int n, int k, float beta,
                        int aOff, int aPad, int bOff, int bPad, int cOff, int cPad) {
        @Override
        public String toString() {
            return "gemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", beta=" + beta + ", offsets " + aOff + "/" + bOff + "/" + cOff
                    + ", padding " + aPad + "/" + bPad + "/" + cPad + ")";
        }
    }

    /** The arrays of one call, laid out as the case says, with sentinels around each matrix. */
    static final class Operands {
        final Case cs;
        final float[] a;
        final float[] b;
        final float[] c;
        final float[] c0;
        final int lda;
        final int ldb;
        final int ldc;

        Operands(Case cs, float[] a, float[] b, float[] c, int lda, int ldb, int ldc) {
            this.cs = cs;
            this.a = a;
            this.b = b;
            this.c = c;
            this.c0 = c.clone();
            this.lda = lda;
            this.ldb = ldb;
            this.ldc = ldc;
        }

        static Operands random(Case cs, Random rnd) {
            int aRows = cs.transA ? cs.k : cs.m;
            int aCols = cs.transA ? cs.m : cs.k;
            int bRows = cs.transB ? cs.n : cs.k;
            int bCols = cs.transB ? cs.k : cs.n;
            int lda = aCols + cs.aPad;
            int ldb = bCols + cs.bPad;
            int ldc = cs.n + cs.cPad;
            float[] a = fill(rnd, cs.aOff, aRows, aCols, lda, Float.NaN, false);
            float[] b = fill(rnd, cs.bOff, bRows, bCols, ldb, Float.NaN, false);
            float[] c = fill(rnd, cs.cOff, cs.m, cs.n, ldc, C_SENTINEL, cs.beta == 0f);
            return new Operands(cs, a, b, c, lda, ldb, ldc);
        }

        /** An array holding a rows x cols matrix at off with row stride ld, a sentinel elsewhere. */
        private static float[] fill(Random rnd, int off, int rows, int cols, int ld, float sentinel, boolean nanInside) {
            float[] x = new float[off + rows * ld + 3];
            Arrays.fill(x, sentinel);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[off + i * ld + j] = nanInside ? Float.NaN : rnd.nextFloat() * 2f - 1f;
                }
            }
            return x;
        }

        Operands copy() {
            return new Operands(cs, a.clone(), b.clone(), c.clone(), lda, ldb, ldc);
        }

        void run(KernelProvider p) {
            p.gemm(cs.transA, cs.transB, cs.m, cs.n, cs.k, a, cs.aOff, lda, b, cs.bOff, ldb, cs.beta, c, cs.cOff, ldc);
        }

        /** The naive triple loop in double, from the untouched inputs. */
        double[] reference() {
            double[] ref = new double[cs.m * cs.n];
            for (int i = 0; i < cs.m; i++) {
                for (int j = 0; j < cs.n; j++) {
                    double sum = 0;
                    for (int p = 0; p < cs.k; p++) {
                        float av = cs.transA ? a[cs.aOff + p * lda + i] : a[cs.aOff + i * lda + p];
                        float bv = cs.transB ? b[cs.bOff + j * ldb + p] : b[cs.bOff + p * ldb + j];
                        sum += (double) av * bv;
                    }
                    if (cs.beta != 0f) {
                        sum += (double) cs.beta * c0[cs.cOff + i * ldc + j];
                    }
                    ref[i * cs.n + j] = sum;
                }
            }
            return ref;
        }

        /** C matches the reference within tolerance and nothing around C changed. */
        void verify(double[] ref, String what) {
            double tol = tolerance(cs);
            List<String> bad = new ArrayList<>();
            boolean[] inside = new boolean[c.length];
            for (int i = 0; i < cs.m; i++) {
                for (int j = 0; j < cs.n; j++) {
                    int idx = cs.cOff + i * ldc + j;
                    inside[idx] = true;
                    double want = ref[i * cs.n + j];
                    if (!(Math.abs(c[idx] - want) <= tol) && bad.size() < 5) {
                        bad.add("C[" + i + "," + j + "]=" + c[idx] + " expected " + want);
                    }
                }
            }
            for (int idx = 0; idx < c.length; idx++) {
                if (!inside[idx] && Float.compare(c[idx], c0[idx]) != 0 && bad.size() < 5) {
                    bad.add("wrote outside C at index " + idx + ": " + c[idx]);
                }
            }
            if (!bad.isEmpty()) {
                fail(what + ", tolerance " + tol + ": " + String.join("; ", bad));
            }
        }
    }
}
