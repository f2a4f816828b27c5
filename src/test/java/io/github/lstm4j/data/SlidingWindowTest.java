package io.github.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import org.junit.jupiter.api.Test;

/** Window/target pairs against hand-worked small series. */
class SlidingWindowTest {

    private static final float[] SERIES = {1, 2, 3, 4, 5, 6};

    @Test
    void windowOfThreeGivesEachWindowAndTheNextValue() {
        SlidingWindow.Pairs p = SlidingWindow.of(3).apply(SERIES);
        // [1 2 3] -> 4, [2 3 4] -> 5, [3 4 5] -> 6
        assertEquals(3, p.size());
        assertArrayEquals(new int[] {3, 3, 1}, p.inputs().shape());
        assertArrayEquals(new int[] {3, 1}, p.targets().shape());
        assertArrayEquals(new float[] {1, 2, 3, 2, 3, 4, 3, 4, 5}, p.inputs().data());
        assertArrayEquals(new float[] {4, 5, 6}, p.targets().data());
        assertEquals(3, p.targetIndex(0));
        assertEquals(5, p.targetIndex(2));
    }

    @Test
    void horizonSkipsAheadAndStrideSpacesTheWindows() {
        SlidingWindow.Pairs h = SlidingWindow.of(3).horizon(2).apply(SERIES);
        // [1 2 3] -> 5, [2 3 4] -> 6
        assertArrayEquals(new float[] {1, 2, 3, 2, 3, 4}, h.inputs().data());
        assertArrayEquals(new float[] {5, 6}, h.targets().data());
        SlidingWindow.Pairs s = SlidingWindow.of(2).stride(2).apply(SERIES);
        // [1 2] -> 3, [3 4] -> 5; [5 6] has no next value
        assertArrayEquals(new float[] {1, 2, 3, 4}, s.inputs().data());
        assertArrayEquals(new float[] {3, 5}, s.targets().data());
        assertEquals(4, s.targetIndex(1));
        assertEquals(2, SlidingWindow.of(2).stride(2).count(6));
        assertEquals(1, SlidingWindow.of(5).count(6));
        assertEquals(0, SlidingWindow.of(6).count(6));
    }

    @Test
    void multivariateSeriesKeepsFeaturesAndCanTargetOneColumn() {
        // (T=4, F=2): rows (1, 10), (2, 20), (3, 30), (4, 40)
        Tensor series = Tensor.of(new float[] {1, 10, 2, 20, 3, 30, 4, 40}, 4, 2);
        SlidingWindow.Pairs all = SlidingWindow.of(2).apply(series);
        assertArrayEquals(new int[] {2, 2, 2}, all.inputs().shape());
        assertArrayEquals(new float[] {1, 10, 2, 20, 2, 20, 3, 30}, all.inputs().data());
        assertArrayEquals(new float[] {3, 30, 4, 40}, all.targets().data());
        SlidingWindow.Pairs second = SlidingWindow.of(2).targetColumns(1).apply(series);
        assertArrayEquals(new int[] {2, 1}, second.targets().shape());
        assertArrayEquals(new float[] {30, 40}, second.targets().data());
        assertArrayEquals(SlidingWindow.of(3).apply(SERIES).targets().data(),
            SlidingWindow.of(3).apply(Tensor.of(SERIES)).targets().data(), "a 1-D tensor is one feature");
    }

    @Test
    void pairsBecomeADataset() {
        TensorDataset ds = SlidingWindow.of(3).apply(SERIES).dataset();
        assertEquals(3, ds.size());
        assertArrayEquals(new float[] {2, 3, 4}, ds.get(1)[0].data());
        assertArrayEquals(new float[] {5}, ds.get(1)[1].data());
    }

    @Test
    void tooShortSeriesAndBadOptionsAreNamed() {
        String msg = assertThrows(IllegalArgumentException.class, () -> SlidingWindow.of(5).horizon(2).apply(SERIES))
            .getMessage();
        assertTrue(msg.contains("6 steps") && msg.contains("window 5") && msg.contains("horizon 2"), msg);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlidingWindow.of(0)).getMessage().contains("window"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlidingWindow.of(2).stride(0)).getMessage()
            .contains("stride"));
        assertThrows(IllegalArgumentException.class, () -> SlidingWindow.of(2).horizon(0));
        String col = assertThrows(IllegalArgumentException.class,
            () -> SlidingWindow.of(1).targetColumns(2).apply(Tensor.zeros(4, 2))).getMessage();
        assertTrue(col.contains("column 2") && col.contains("2 features"), col);
        assertThrows(IllegalArgumentException.class, () -> SlidingWindow.of(1).apply(Tensor.zeros(2, 2, 2)));
    }
}
