package io.github.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Module;
import java.util.LinkedHashMap;
import java.util.Map;

/** Bit-level snapshots and comparisons of a model's weights. */
final class Weights {

    private Weights() {
    }

    /** Every state-dict entry as raw float bits. */
    static Map<String, int[]> bits(Module model) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] v = e.getValue().toFloatArray();
            int[] b = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = Float.floatToRawIntBits(v[i]);
            }
            out.put(e.getKey(), b);
        }
        return out;
    }

    /** Fails unless both snapshots have the same keys and the same bits everywhere. */
    static void assertBitIdentical(Map<String, int[]> expected, Map<String, int[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k), actual.get(k), () -> "weights differ in " + k);
        }
    }

    /** True when some bit differs. */
    static boolean differ(Map<String, int[]> a, Map<String, int[]> b) {
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return true;
            }
        }
        return false;
    }
}
