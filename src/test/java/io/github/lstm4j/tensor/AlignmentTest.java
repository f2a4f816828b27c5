package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link Alignment}: its offsets are in range, they follow the layout of objects allocated one
 * after the other (so the address it decodes is the real one), and a product does not depend on
 * where its packed panels start.
 */
class AlignmentTest {

    @Test
    void offsetsAreInRange() {
        for (int n = 0; n < 200; n++) {
            int off = Alignment.floatOffset(new float[n]);
            assertTrue(off >= 0 && off <= Alignment.SLACK, "offset " + off + " for length " + n);
        }
    }

    /**
     * Two float arrays of 4 elements allocated one after the other lie 32 bytes apart (16 bytes of
     * header, 16 of elements), so the aligned element of the second is 8 floats before that of the
     * first, modulo 16. An allocation may be interrupted (a new allocation buffer), so most of
     * the tries, not all, must show it.
     */
    @Test
    void offsetsFollowConsecutiveAllocations() {
        assumeTrue(Alignment.enabled(), "no address decoding on this JVM: every offset is 0");
        int agree = 0;
        int tries = 64;
        for (int t = 0; t < tries; t++) {
            float[][] pair = {new float[4], new float[4]};
            int first = Alignment.floatOffset(pair[0]);
            int second = Alignment.floatOffset(pair[1]);
            if (second == ((first - 8) & 15)) {
                agree++;
            }
        }
        assertTrue(agree >= tries * 3 / 4, agree + " of " + tries + " consecutive pairs were 32 bytes apart");
    }

    /** The packed path and a prepacked B give the bits of the plain provider whatever the offset. */
    @Test
    void resultsDoNotDependOnTheOffset() {
        KernelProvider vector = Kernels.vector().orElse(null);
        assumeTrue(vector != null, "no Vector API module in this JVM");
        Random rnd = new Random(7);
        int m = 37;
        int k = 150;
        int n = 83;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextGaussian();
        }
        float[] expected = new float[m * n];
        Kernels.plain().gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, expected, 0, n);
        // many allocations between the calls move where the buffers of the pool and the packed
        // matrices start
        for (int round = 0; round < 40; round++) {
            float[][] spacer = new float[1 + round % 15][];
            for (int i = 0; i < spacer.length; i++) {
                spacer[i] = new float[1 + i];
            }
            float[] c = new float[m * n];
            vector.gemm(false, false, m, n, k, a, 0, k, b, 0, n, 0f, c, 0, n);
            assertArrayEquals(expected, c, "packed path, round " + round);
            PackedMatrix pb = vector.pack(false, k, n, b, 0, n);
            float[] d = new float[m * n];
            vector.gemm(m, a, 0, k, pb, 0f, d, 0, n);
            pb.release();
            assertArrayEquals(expected, d, "prepacked B, round " + round);
        }
    }
}
