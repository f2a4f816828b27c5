package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.GemmCases.TRANSPOSES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.lstm4j.tensor.GemmCases.Case;
import io.github.lstm4j.tensor.GemmCases.Operands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The products computed on the kernel pool: the same bits for one and for two threads (every
 * product split, however small, so that blocks end in every kind of edge tile), and the packed
 * product ({@link Kernels#pack}) giving the bits of the unpacked one.
 */
@ExtendWith(SplitEverything.class)
class GemmThreadsTest {

    /** Sizes on both sides of every tile, panel and block edge of both providers. */
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 33, 63, 64, 65, 70, 97, 129, 130, 257};

    private static List<Case> cases(Random rnd, int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean[] t = TRANSPOSES[i % 4];
            float beta = i % 3 == 0 ? 1f : i % 3 == 1 ? 0f : 0.5f;
            cases.add(new Case(t[0], t[1], SIZES[rnd.nextInt(SIZES.length)], SIZES[rnd.nextInt(SIZES.length)],
                    SIZES[rnd.nextInt(SIZES.length)], beta, rnd.nextInt(4), rnd.nextInt(3), rnd.nextInt(4),
                    rnd.nextInt(3), rnd.nextInt(4), rnd.nextInt(3)));
        }
        // larger than any block of either provider, so that blocks cross k, row and column blocks
        cases.add(new Case(false, false, 400, 2100, 300, 0f, 0, 0, 0, 0, 0, 0));
        cases.add(new Case(true, true, 300, 130, 1100, 1f, 1, 1, 1, 1, 1, 1));
        cases.add(new Case(false, true, 16, 2100, 700, 0f, 0, 0, 0, 0, 0, 0));
        cases.add(new Case(false, false, 2, 1000, 300, 1f, 0, 0, 0, 0, 0, 0));
        return cases;
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void oneAndTwoThreadsGiveTheSameBits(String name) {
        KernelProvider p = GemmTest.provider(name);
        Random rnd = new Random(21);
        for (Case cs : cases(rnd, 240)) {
            Operands one = Operands.random(cs, rnd);
            Operands two = one.copy();
            Kernels.setThreads(1);
            one.run(p);
            Kernels.setThreads(2);
            two.run(p);
            assertSameBits(one.c, two.c, p.name() + " " + cs);
            two.verify(two.reference(), p.name() + " on 2 threads " + cs);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void packedProductGivesTheBitsOfTheUnpackedOneOnAnyThreadCount(String name) {
        KernelProvider p = GemmTest.provider(name);
        Random rnd = new Random(22);
        for (Case cs : cases(rnd, 120)) {
            // A and B stored as is; B is also packed from a transposed copy of itself
            Case asIs = new Case(false, false, cs.m(), cs.n(), cs.k(), cs.beta(),
                    cs.aOff(), cs.aPad(), cs.bOff(), cs.bPad(), cs.cOff(), cs.cPad());
            Operands x = Operands.random(asIs, rnd);
            float[] bT = new float[cs.n() * cs.k()];
            for (int p0 = 0; p0 < cs.k(); p0++) {
                for (int j = 0; j < cs.n(); j++) {
                    bT[j * cs.k() + p0] = x.b[cs.bOff() + p0 * x.ldb + j];
                }
            }
            Operands y = x.copy();
            Operands z = x.copy();
            Kernels.setThreads(1);
            x.run(p);
            PackedMatrix packed = p.pack(false, cs.k(), cs.n(), y.b, cs.bOff(), y.ldb);
            PackedMatrix packedT = p.pack(true, cs.k(), cs.n(), bT, 0, cs.k());
            assertEquals(cs.k(), packed.rows());
            assertEquals(cs.n(), packed.cols());
            Kernels.setThreads(2);
            p.gemm(cs.m(), y.a, cs.aOff(), y.lda, packed, cs.beta(), y.c, cs.cOff(), y.ldc);
            p.gemm(cs.m(), z.a, cs.aOff(), z.lda, packedT, cs.beta(), z.c, cs.cOff(), z.ldc);
            assertSameBits(x.c, y.c, p.name() + " packed " + asIs);
            assertSameBits(x.c, z.c, p.name() + " packed from B transposed " + asIs);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "vector"})
    void productOfATwoPartAGivesTheBitsOfAStoredWhole(String name) {
        KernelProvider p = GemmTest.provider(name);
        Random rnd = new Random(23);
        // k from 1 to past two k blocks (KC), the split anywhere, at a block edge and at the ends
        for (int iter = 0; iter < 160; iter++) {
            int m = 1 + rnd.nextInt(iter % 4 == 0 ? 70 : 20);
            int n = 1 + rnd.nextInt(iter % 3 == 0 ? 140 : 70);
            int k = 1 + rnd.nextInt(iter % 2 == 0 ? 2 * VectorKernels.KC + 50 : 60);
            int k1 = switch (iter % 5) {
                case 0 -> 0;
                case 1 -> k;
                case 2 -> Math.min(k, VectorKernels.KC);
                default -> rnd.nextInt(k + 1);
            };
            // a bias row added to every row (C = bias + A B), or none (C = A B)
            float[] bias = null;
            if (iter % 3 != 0) {
                bias = new float[n];
                for (int j = 0; j < n; j++) {
                    bias[j] = (float) rnd.nextGaussian();
                }
            }
            int lda1 = k1 + rnd.nextInt(3);
            int lda2 = k - k1 + rnd.nextInt(3);
            float[] a = new float[m * k];
            float[] a1 = new float[1 + m * lda1];
            float[] a2 = new float[2 + m * lda2];
            Arrays.fill(a1, Float.NaN);    // padding that a product must not read
            Arrays.fill(a2, Float.NaN);
            for (int i = 0; i < m; i++) {
                for (int q = 0; q < k; q++) {
                    float v = (float) rnd.nextGaussian();
                    a[i * k + q] = v;
                    if (q < k1) {
                        a1[1 + i * lda1 + q] = v;
                    } else {
                        a2[2 + i * lda2 + q - k1] = v;
                    }
                }
            }
            float[] b = new float[k * n];
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextGaussian();
            }
            float[] whole = new float[m * n + 3];
            for (int i = 0; i < whole.length; i++) {
                whole[i] = (float) rnd.nextGaussian();
            }
            float[] parts = whole.clone();
            PackedMatrix packed = p.pack(false, k, n, b, 0, n);
            Kernels.setThreads(1);
            // the reference: C filled with the bias rows, then A whole accumulated onto it
            for (int i = 0; i < m && bias != null; i++) {
                System.arraycopy(bias, 0, whole, 3 + i * n, n);
            }
            p.gemm(m, a, 0, k, packed, bias != null ? 1f : 0f, whole, 3, n);
            Kernels.setThreads(2);
            p.gemmConcat(m, a1, 1, lda1, k1, a2, 2, lda2, packed, bias, parts, 3, n);
            packed.release();
            assertSameBits(whole, parts, p.name() + " [A1 A2] of m=" + m + " n=" + n + " k=" + k + " k1=" + k1
                    + (bias != null ? " with a bias" : ""));
        }
    }

    @Test
    void facadeChecksBothPartsOfATwoPartA() {
        PackedMatrix packed = Kernels.pack(false, 5, 4, new float[20], 0, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemmConcat(2, new float[6], 0, 3, 6, new float[0], 0, 0, packed, null, new float[8], 0, 4));
        assertTrue(e.getMessage().contains("k1=6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemmConcat(2, new float[6], 0, 3, 3, new float[3], 0, 2, packed, null, new float[8], 0, 4));
        assertTrue(e.getMessage().contains("A2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemmConcat(2, new float[6], 0, 3, 3, new float[4], 0, 2, packed, new float[3],
                        new float[8], 0, 4));
        assertTrue(e.getMessage().contains("bias has 3 floats"), e.getMessage());
        packed.release();
    }

    @Test
    void columnSumsAreTheBlockedSumsOnAnyThreadCountAndProvider() {
        Random rnd = new Random(33);
        for (int cols : new int[] {1, 5, 15, 16, 17, 63, 64, 65, 130, 517}) {
            int rows = 1 + rnd.nextInt(300);
            int ld = cols + rnd.nextInt(3);
            float[] x = new float[2 + rows * ld];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            Kernels.setThreads(1);
            float[] one = Kernels.columnSums(rows, cols, x, 2, ld);
            Kernels.setThreads(2);
            float[] two = Kernels.columnSums(rows, cols, x, 2, ld);
            assertSameBits(one, two, "column sums of " + rows + " x " + cols + " on 1 and 2 threads");
            for (KernelProvider p : providers()) {
                float[] sums = new float[cols + 2];
                p.columnSums(rows, 1, cols + 1, x, 2 - 1, ld, sums);
                float[] inner = java.util.Arrays.copyOfRange(sums, 1, cols + 1);
                assertSameBits(one, inner, p.name() + " column sums of " + rows + " x " + cols);
                assertEquals(0f, sums[0], "nothing written before the range");
                assertEquals(0f, sums[cols + 1], "nothing written after the range");
            }
            for (int j = 0; j < cols; j++) {
                // the reference: float sums of blocks of 32 rows, added in double
                double exact = 0;
                for (int r0 = 0; r0 < rows; r0 += 32) {
                    float part = x[2 + r0 * ld + j];
                    for (int r = r0 + 1; r < Math.min(rows, r0 + 32); r++) {
                        part += x[2 + r * ld + j];
                    }
                    exact += part;
                }
                assertEquals((float) exact, one[j], "column " + j + " of " + rows + " x " + cols);
            }
        }
    }

    private static List<KernelProvider> providers() {
        List<KernelProvider> list = new ArrayList<>(List.of(Kernels.plain()));
        Kernels.vector().ifPresent(list::add);
        return list;
    }

    @Test
    void facadeRejectsAMatrixPackedByTheOtherProvider() {
        KernelProvider other = Kernels.provider().name().equals("plain")
                ? Kernels.vector().orElse(null) : Kernels.plain();
        org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "only one provider in this JVM");
        PackedMatrix foreign = other.pack(false, 2, 2, new float[4], 0, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernels.gemm(2, new float[4], 0, 2, foreign, 0f, new float[4], 0, 2));
        assertEquals("gemm: B was packed by the " + other.name() + " provider, not by "
                + Kernels.provider().name(), e.getMessage());
    }

    @Test
    void setThreadsRejectsLessThanOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.setThreads(0));
        assertEquals("lstm4j threads must be >= 1, got 0", e.getMessage());
    }

    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + " instead of " + expected[i]);
            }
        }
    }
}
