package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.GemmCases.C_SENTINEL;
import static io.github.lstm4j.tensor.GemmCases.TRANSPOSES;
import static io.github.lstm4j.tensor.GemmCases.check;
import static io.github.lstm4j.tensor.GemmCases.randomCase;
import static io.github.lstm4j.tensor.GemmCases.tolerance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.lstm4j.tensor.GemmCases.Case;
import io.github.lstm4j.tensor.GemmCases.Operands;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Holds every GEMM provider to a naive triple loop accumulated in double ({@link GemmCases}), over
 * every small shape, every size from 1 to 70 in each dimension, a seeded sample of medium shapes,
 * odd and prime sizes, shapes larger than any block, empty dimensions, offsets and padded rows,
 * and beta 0, 1 and other values.
 */
class GemmTest {

    // ---------------------------------------------------------------- providers

    static KernelProvider provider(String name) {
        if (name.equals("plain")) {
            return Kernels.plain();
        }
        Assumptions.assumeTrue(Kernels.vector().isPresent(),
                "vector provider not available: jdk.incubator.vector is not in the boot layer"
                        + " (run with --add-modules jdk.incubator.vector)");
        return Kernels.vector().get();
    }

    // ---------------------------------------------------------------- the behaviours

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void matchesReferenceForEverySmallShapeAndTranspose(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(1);
        for (boolean[] t : TRANSPOSES) {
            for (int m = 1; m <= 9; m++) {
                for (int n = 1; n <= 9; n++) {
                    for (int k = 1; k <= 9; k++) {
                        float beta = (m + n + k) % 2 == 0 ? 0f : 1f;
                        check(p, new Case(t[0], t[1], m, n, k, beta, 0, 0, 0, 0, 0, 0), rnd);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void matchesReferenceForEverySizeFrom1To70InEachDimension(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(9);
        for (int dim = 0; dim < 3; dim++) {
            for (int size = 1; size <= 70; size++) {
                for (boolean[] t : TRANSPOSES) {
                    // the other two sizes drawn from 1..70, so every size meets many partners
                    int[] mnk = {1 + rnd.nextInt(70), 1 + rnd.nextInt(70), 1 + rnd.nextInt(70)};
                    mnk[dim] = size;
                    float beta = rnd.nextInt(3) == 0 ? 1f : 0f;
                    check(p, new Case(t[0], t[1], mnk[0], mnk[1], mnk[2], beta,
                            rnd.nextInt(5), rnd.nextInt(3), rnd.nextInt(5), rnd.nextInt(3), rnd.nextInt(5), rnd.nextInt(3)),
                            rnd);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void matchesReferenceForRandomShapesWithOffsetsAndPadding(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(2);
        for (int i = 0; i < 300; i++) {
            check(p, randomCase(rnd, 70), rnd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void matchesReferenceForOddAndPrimeSizes(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(3);
        int[] sizes = {1, 13, 17, 31, 67, 97};
        for (boolean[] t : TRANSPOSES) {
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : sizes) {
                        float beta = rnd.nextBoolean() ? 0f : 1f;
                        check(p, new Case(t[0], t[1], m, n, k, beta, 1, 3, 2, 1, 0, 5), rnd);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void matchesReferenceForShapesLargerThanAnyBlock(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(4);
        // 130x257x300 crosses the k blocks and the column panels; 400 rows cross the vector
        // provider's row block; 2100 columns cross both providers' column blocks. The few-row
        // shapes take the vector provider's in-place paths (dot products for transposed B, row
        // kernels otherwise) across their k blocks and with ragged column tails.
        int[][] shapes = {{130, 257, 300}, {400, 70, 20}, {3, 2100, 5}, {5, 33, 1000},
            {3, 37, 2100}, {16, 23, 600}, {1, 300, 700}, {2, 1000, 130}};
        for (boolean[] t : TRANSPOSES) {
            for (int[] s : shapes) {
                check(p, new Case(t[0], t[1], s[0], s[1], s[2], 0f, 7, 1, 5, 2, 3, 4), rnd);
                check(p, new Case(t[0], t[1], s[0], s[1], s[2], 1f, 0, 0, 0, 0, 0, 0), rnd);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void betaZeroOverwritesNaNAndOtherBetasScaleTheOldC(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(5);
        float[] betas = {0f, 1f, 0.5f, -2f};
        for (boolean[] t : TRANSPOSES) {
            for (float beta : betas) {
                for (int[] s : new int[][]{{4, 64, 16}, {7, 19, 300}, {1, 1, 1}, {33, 65, 129}}) {
                    check(p, new Case(t[0], t[1], s[0], s[1], s[2], beta, 2, 1, 3, 0, 1, 2), rnd);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void emptyDimensionsLeaveCAloneOrScaleIt(String name) {
        KernelProvider p = provider(name);
        Random rnd = new Random(6);
        for (boolean[] t : TRANSPOSES) {
            for (float beta : new float[]{0f, 1f, 0.5f}) {
                // m == 0 and n == 0: C has no elements, nothing may be written
                check(p, new Case(t[0], t[1], 0, 5, 3, beta, 1, 1, 1, 1, 1, 1), rnd);
                check(p, new Case(t[0], t[1], 5, 0, 3, beta, 1, 1, 1, 1, 1, 1), rnd);
                check(p, new Case(t[0], t[1], 0, 0, 0, beta, 0, 0, 0, 0, 0, 0), rnd);
                // k == 0: C = beta * C (zeros for beta 0, even over NaN)
                check(p, new Case(t[0], t[1], 5, 7, 0, beta, 1, 1, 1, 1, 2, 3), rnd);
                check(p, new Case(t[0], t[1], 70, 33, 0, beta, 0, 0, 0, 0, 0, 0), rnd);
            }
        }
    }

    @Test
    void plainAndVectorAgree() {
        KernelProvider plain = Kernels.plain();
        KernelProvider vector = provider("vector");
        Random rnd = new Random(7);
        for (int i = 0; i < 200; i++) {
            Case cs = randomCase(rnd, 90);
            Operands x = Operands.random(cs, rnd);
            Operands y = x.copy();
            x.run(plain);
            y.run(vector);
            double tol = tolerance(cs);
            for (int j = 0; j < x.c.length; j++) {
                float u = x.c[j];
                float v = y.c[j];
                if (!(Math.abs(u - v) <= tol || Float.compare(u, v) == 0)) {
                    fail(cs + ": plain " + u + " vs vector " + v + " at index " + j + ", tolerance " + tol);
                }
            }
        }
    }

    @Test
    void facadeAgreesWithReference() {
        Random rnd = new Random(8);
        for (int i = 0; i < 50; i++) {
            Case cs = randomCase(rnd, 40);
            Operands x = Operands.random(cs, rnd);
            double[] ref = x.reference();
            Kernels.gemm(cs.transA(), cs.transB(), cs.m(), cs.n(), cs.k(), x.a, cs.aOff(), x.lda, x.b, cs.bOff(), x.ldb,
                    cs.beta(), x.c, cs.cOff(), x.ldc);
            x.verify(ref, "facade (" + Kernels.provider().name() + ") " + cs);
        }
    }

    @Test
    void facadeRejectsBadArgumentsNamingTheOperand() {
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[12];

        assertEquals("gemm: B needs 12 floats from offset 3 (k=3, n=4, ldb=4) but has 10",
                rejected(() -> Kernels.gemm(false, false, 3, 4, 3, a, 0, 3, new float[10], 3, 4, 0f, c, 0, 4)));

        assertMessageContains("m=-1", () -> Kernels.gemm(false, false, -1, 2, 2, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("n=-2", () -> Kernels.gemm(false, false, 1, -2, 2, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("k=-3", () -> Kernels.gemm(false, false, 1, 2, -3, a, 0, 2, b, 0, 2, 0f, c, 0, 2));

        // row strides shorter than the stored rows
        assertMessageContains("A row stride lda=2", () -> Kernels.gemm(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("A row stride lda=2", () -> Kernels.gemm(true, false, 3, 2, 2, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("B row stride ldb=1", () -> Kernels.gemm(false, false, 2, 2, 2, a, 0, 2, b, 0, 1, 0f, c, 0, 2));
        assertMessageContains("B row stride ldb=2", () -> Kernels.gemm(false, true, 2, 2, 3, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("C row stride ldc=1", () -> Kernels.gemm(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, 0f, c, 0, 1));

        // negative offsets
        assertMessageContains("A offset -1", () -> Kernels.gemm(false, false, 2, 2, 2, a, -1, 2, b, 0, 2, 0f, c, 0, 2));
        assertMessageContains("B offset -1", () -> Kernels.gemm(false, false, 2, 2, 2, a, 0, 2, b, -1, 2, 0f, c, 0, 2));
        assertMessageContains("C offset -1", () -> Kernels.gemm(false, false, 2, 2, 2, a, 0, 2, b, 0, 2, 0f, c, -1, 2));

        // matrices that run off the end of their arrays; transposed shapes are reported as stored
        assertEquals("gemm: A needs 11 floats from offset 2 (transA, k=3, m=3, lda=4) but has 12",
                rejected(() -> Kernels.gemm(true, false, 3, 2, 3, a, 2, 4, b, 0, 2, 0f, c, 0, 2)));
        assertEquals("gemm: B needs 14 floats from offset 0 (transB, n=2, k=7, ldb=7) but has 12",
                rejected(() -> Kernels.gemm(false, true, 1, 2, 7, new float[7], 0, 7, b, 0, 7, 0f, c, 0, 2)));
        assertEquals("gemm: C needs 11 floats from offset 5 (m=3, n=3, ldc=4) but has 12",
                rejected(() -> Kernels.gemm(false, false, 3, 3, 1, a, 0, 1, b, 0, 3, 0f, c, 5, 4)));

        assertThrows(NullPointerException.class, () -> Kernels.gemm(false, false, 1, 1, 1, null, 0, 1, b, 0, 1, 0f, c, 0, 1));

        // a rejected call writes nothing
        float[] cc = new float[4];
        Arrays.fill(cc, C_SENTINEL);
        rejected(() -> Kernels.gemm(false, false, 2, 2, 2, a, 0, 2, new float[3], 0, 2, 0f, cc, 0, 2));
        for (float v : cc) {
            assertEquals(C_SENTINEL, v);
        }
    }

    @Test
    void facadeAcceptsEmptyMatricesAtTheEndOfTheirArrays() {
        float[] c = {C_SENTINEL};
        Kernels.gemm(false, false, 0, 0, 0, new float[0], 0, 0, new float[0], 0, 0, 0f, c, 1, 0);
        Kernels.gemm(true, true, 1, 1, 0, new float[0], 0, 1, new float[0], 0, 0, 0f, c, 0, 1);
        assertEquals(0f, c[0]);
    }

    // ---------------------------------------------------------------- helpers

    private static String rejected(Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        return e.getMessage();
    }

    private static void assertMessageContains(String part, Runnable call) {
        String msg = rejected(call);
        assertTrue(msg.startsWith("gemm: ") && msg.contains(part), () -> "message '" + msg + "' lacks '" + part + "'");
    }
}
