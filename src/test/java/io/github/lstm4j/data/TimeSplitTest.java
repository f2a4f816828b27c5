package io.github.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import org.junit.jupiter.api.Test;

/** Splits by time: sizes, order, and no rows lost or moved. */
class TimeSplitTest {

    private static float[] ramp(int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = i;
        }
        return s;
    }

    @Test
    void countsSplitConsecutiveRowsInTimeOrder() {
        TimeSplit.Parts<float[]> p = TimeSplit.counts(5, 3).split(ramp(10));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4}, p.train());
        assertArrayEquals(new float[] {5, 6, 7}, p.validation());
        assertArrayEquals(new float[] {8, 9}, p.test());
    }

    @Test
    void fractionsFloorTrainingAndValidationAndGiveTheRestToTest() {
        assertArrayEquals(new int[] {7, 1, 2}, TimeSplit.fractions(0.7, 0.15).sizes(10));
        assertArrayEquals(new int[] {70, 15, 15}, TimeSplit.fractions(0.7, 0.15).sizes(100));
        // 0.29 * 100 is 28.999999999999996 in double: still 29 rows
        assertArrayEquals(new int[] {29, 0, 71}, TimeSplit.fractions(0.29, 0).sizes(100));
        assertArrayEquals(new int[] {201, 43, 44}, TimeSplit.fractions(0.7, 0.15).sizes(288));
    }

    @Test
    void tensorsSplitAlongTheFirstDimensionAndDatasetsByRange() {
        Tensor t = Tensor.of(ramp(12), 6, 2);
        TimeSplit.Parts<Tensor> p = TimeSplit.counts(3, 1).split(t);
        assertArrayEquals(new int[] {3, 2}, p.train().shape());
        assertArrayEquals(new float[] {6, 7}, p.validation().data());
        assertArrayEquals(new float[] {8, 9, 10, 11}, p.test().data());
        TimeSplit.Parts<TensorDataset> d = TimeSplit.counts(4, 0).split(new TensorDataset(t, Tensor.of(ramp(6))));
        assertEquals(4, d.train().size());
        assertEquals(0, d.validation().size());
        assertArrayEquals(new float[] {5}, d.test().get(1)[1].data());
    }

    @Test
    void impossibleSplitsAreNamed() {
        String msg = assertThrows(IllegalArgumentException.class, () -> TimeSplit.counts(8, 3).split(ramp(10)))
            .getMessage();
        assertTrue(msg.contains("8") && msg.contains("3") && msg.contains("10"), msg);
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.counts(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.fractions(0.8, 0.3));
        assertThrows(IllegalArgumentException.class, () -> TimeSplit.fractions(Double.NaN, 0));
    }
}
