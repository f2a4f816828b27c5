package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {

    @Test
    void initialisationIsUniformWithinOneOverSqrtInFeaturesAndSeeded() {
        Linear a = new Linear(16, 300, true, new Generator(3));
        Linear b = new Linear(16, 300, true, new Generator(3));
        float bound = 0.25f; // 1/sqrt(16)
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : a.weight.data()) {
            assertTrue(v >= -bound && v < bound, "weight " + v + " outside U(-0.25, 0.25)");
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // 4800 draws from U(-0.25, 0.25): the extremes come within 0.01 of the bounds
        assertTrue(min < -0.24f && max > 0.24f, min + " " + max);
        for (float v : a.bias.data()) {
            assertTrue(v >= -bound && v < bound);
        }
        assertArrayEquals(a.weight.data(), b.weight.data(), "same seed, same weights");
        assertNotEquals(a.weight.get(0, 0), new Linear(16, 300, true, new Generator(4)).weight.get(0, 0));
    }

    @Test
    void forwardComputesXWTransposedPlusBias() {
        Linear l = new Linear(2, 2, true, new Generator(0));
        l.loadStateDict(java.util.Map.of(
            "weight", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2),
            "bias", Tensor.of(0.5f, -1f)));
        // x = [1, 1]: y0 = 1*1 + 2*1 + 0.5 = 3.5, y1 = 3 + 4 - 1 = 6
        Tensor y = l.forward(Tensor.of(new float[] {1, 1}, 1, 2));
        assertArrayEquals(new float[] {3.5f, 6f}, y.data());
        // leading dims are kept: (2, 3, 2) -> (2, 3, 2)
        assertArrayEquals(new int[] {2, 3, 2}, l.forward(Tensor.ones(2, 3, 2)).shape());
    }

    @Test
    void noBiasMeansNoBiasParameter() {
        Linear l = new Linear(3, 2, false, new Generator(0));
        assertNull(l.bias);
        assertEquals(java.util.List.of("weight"), java.util.List.copyOf(l.stateDict().keySet()));
    }

    @Test
    void wrongInputWidthNamesTheExpectedAndActualShape() {
        Linear l = new Linear(7, 3, true, new Generator(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(4, 5)));
        assertEquals("Linear expects last dim 7, got [4, 5]", e.getMessage());
    }

    @Test
    void negativeSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Linear(-1, 2));
    }
}
