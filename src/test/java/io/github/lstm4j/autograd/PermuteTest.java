package io.github.lstm4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Permutes (and their backward) against an index-by-index reference, for every permutation of
 * ranks 2 to 4 over small shapes with sizes 0, 1, 2 and 3: the row-copying path taken when the
 * last dimension stays last and the general path must both put every element where
 * {@code out[i_0..i_r] = in[i_perm^-1...]} says.
 */
@Tag("plain-fallback")
class PermuteTest {

    @Test
    void everyPermutationOfSmallShapesMatchesTheIndexReference() {
        Generator gen = new Generator(3);
        int[][] shapes = {{2, 3}, {3, 1}, {0, 2}, {2, 3, 4}, {3, 2, 1}, {1, 3, 2}, {2, 0, 3}, {2, 3, 2, 3}, {1, 2, 3, 1}};
        for (int[] shape : shapes) {
            for (int[] perm : permutations(shape.length)) {
                Tensor x = Tensor.randn(gen, shape).requiresGrad_(true);
                Tensor y = x.permute(perm);
                assertArrayEquals(reference(x.data(), shape, perm), y.data(), () -> describe(shape, perm));
                Tensor g = Tensor.randn(gen, y.shape());
                y.backward(g);
                assertArrayEquals(reference(g.data(), y.shape(), inverse(perm)), x.grad().data(),
                    () -> "backward of " + describe(shape, perm));
            }
        }
    }

    @Test
    void batchFirstTransposeMovesWholeRows() {
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);   // (B, T, F)
        Tensor y = x.transpose(0, 1);                        // (T, B, F)
        float[] expected = {0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23};
        assertArrayEquals(expected, y.data());
    }

    private static String describe(int[] shape, int[] perm) {
        return "shape " + Arrays.toString(shape) + " perm " + Arrays.toString(perm);
    }

    /** out[o] with output index (j_0..j_r): input index i_{perm[d]} = j_d. */
    private static float[] reference(float[] x, int[] shape, int[] perm) {
        int rank = shape.length;
        int[] outShape = new int[rank];
        for (int d = 0; d < rank; d++) {
            outShape[d] = shape[perm[d]];
        }
        int n = x.length;
        float[] out = new float[n];
        int[] j = new int[rank];
        for (int o = 0; o < n; o++) {
            int rem = o;
            for (int d = rank - 1; d >= 0; d--) {
                j[d] = rem % outShape[d];
                rem /= outShape[d];
            }
            int[] i = new int[rank];
            for (int d = 0; d < rank; d++) {
                i[perm[d]] = j[d];
            }
            int src = 0;
            for (int d = 0; d < rank; d++) {
                src = src * shape[d] + i[d];
            }
            out[o] = x[src];
        }
        return out;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    private static List<int[]> permutations(int rank) {
        List<int[]> out = new ArrayList<>();
        permute(new int[rank], new boolean[rank], 0, out);
        return out;
    }

    private static void permute(int[] cur, boolean[] used, int pos, List<int[]> out) {
        if (pos == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int v = 0; v < cur.length; v++) {
            if (!used[v]) {
                used[v] = true;
                cur[pos] = v;
                permute(cur, used, pos + 1, out);
                used[v] = false;
            }
        }
    }
}
