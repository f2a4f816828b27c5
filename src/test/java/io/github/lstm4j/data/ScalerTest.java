package io.github.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MinMaxScaler and StandardScaler: formulas, fitting on training data only, inversion, saving, errors. */
class ScalerTest {

    @Test
    void minMaxMapsTrainingRangeOntoFeatureRange() {
        MinMaxScaler s = new MinMaxScaler().fit(new float[] {2, 4, 10});
        // (x - 2) / 8
        assertArrayEquals(new float[] {0f, 0.25f, 1f}, s.transform(new float[] {2, 4, 10}), 1e-7f);
        MinMaxScaler wide = new MinMaxScaler(-1f, 1f).fit(new float[] {2, 4, 10});
        // -1 + 2 (x - 2) / 8
        assertArrayEquals(new float[] {-1f, -0.5f, 1f}, wide.transform(new float[] {2, 4, 10}), 1e-7f);
        assertArrayEquals(new float[] {2f}, s.dataMin());
        assertArrayEquals(new float[] {10f}, s.dataMax());
    }

    @Test
    void fittingOnTrainingPartOnlyLeavesLaterValuesOutsideTheRange() {
        float[] series = {1, 3, 5, 7, 9, 11, 13, 15};
        TimeSplit.Parts<float[]> parts = TimeSplit.counts(4, 2).split(series);
        MinMaxScaler s = new MinMaxScaler().fit(parts.train());
        // trained on 1..7: (x - 1) / 6, so the test values 13 and 15 map beyond 1
        assertArrayEquals(new float[] {2f, 7f / 3f}, s.transform(parts.test()), 1e-6f);
        StandardScaler z = new StandardScaler().fit(parts.train());
        assertArrayEquals(new float[] {4f}, z.mean());
        assertTrue(z.transform(parts.test())[0] > 2f);
    }

    @Test
    void standardScalerUsesPopulationStandardDeviation() {
        StandardScaler s = new StandardScaler().fit(new float[] {1, 2, 3, 4});
        // mean 2.5, population variance 1.25 (sample variance would be 5/3)
        double std = Math.sqrt(1.25);
        assertArrayEquals(new float[] {2.5f}, s.mean());
        assertArrayEquals(new float[] {(float) std}, s.scale(), 1e-7f);
        assertArrayEquals(new float[] {(float) (-1.5 / std), (float) (1.5 / std)},
            s.transform(new float[] {1, 4}), 1e-6f);
    }

    @Test
    void inverseTransformRoundTripsForEveryFeatureLayout() {
        Generator gen = new Generator(6);
        Tensor train = Tensor.randn(gen, 50, 3).mul(7f).add(100f);
        Tensor other = Tensor.randn(gen, 4, 9, 3).mul(20f);
        for (Scaler s : List.of(new MinMaxScaler(), new MinMaxScaler(-2f, 5f), new StandardScaler())) {
            s.fit(train);
            assertEquals(3, s.numFeatures());
            Tensor back = s.inverseTransform(s.transform(other));
            assertArrayEquals(other.shape(), back.shape());
            assertArrayEquals(other.data(), back.data(), 1e-3f, s.toString());
            float[] col = s.inverseTransform(s.transform(Tensor.of(1f, 2f, 3f), 2), 2).data();
            assertArrayEquals(new float[] {1f, 2f, 3f}, col, 1e-4f);
        }
        StandardScaler one = new StandardScaler().fit(Tensor.randn(gen, 30));
        float[] series = {3f, -1f, 0.5f};
        assertArrayEquals(series, one.inverseTransform(one.transform(series)), 1e-5f);
        Tensor windows = Tensor.randn(gen, 2, 5, 1);
        assertArrayEquals(windows.data(), one.inverseTransform(one.transform(windows)).data(), 1e-5f);
    }

    @Test
    void eachFeatureIsScaledWithItsOwnParameters() {
        Tensor train = Tensor.of(new float[] {0, 100, 10, 300}, 2, 2);
        MinMaxScaler s = new MinMaxScaler().fit(train);
        assertArrayEquals(new float[] {0.5f, 0.5f}, s.transform(Tensor.of(new float[] {5, 200}, 1, 2)).data(), 1e-7f);
        assertArrayEquals(new float[] {0.5f, 0.25f}, s.transform(Tensor.of(5f, 2.5f), 0).data(), 1e-7f);
    }

    @Test
    void constantFeaturesGetAUnitScale() {
        MinMaxScaler m = new MinMaxScaler().fit(new float[] {4, 4, 4});
        assertArrayEquals(new float[] {0f, 1f}, m.transform(new float[] {4, 5}), 1e-7f);
        StandardScaler z = new StandardScaler().fit(new float[] {0.1f, 0.1f});
        assertArrayEquals(new float[] {1f}, z.scale());
        assertArrayEquals(new float[] {0f}, z.transform(new float[] {0.1f}));
    }

    @Test
    void stateDictRestoresAScalerThatComputesIdenticalBits() {
        Generator gen = new Generator(2);
        Tensor train = Tensor.randn(gen, 40, 2).mul(3f).add(1f);
        Tensor x = Tensor.randn(gen, 7, 2);
        for (Scaler fitted : List.<Scaler>of(new MinMaxScaler(-1f, 1f).fit(train), new StandardScaler().fit(train))) {
            Map<String, Tensor> state = fitted.stateDict();
            Scaler fresh = fitted instanceof MinMaxScaler ? new MinMaxScaler() : new StandardScaler();
            assertFalse(fresh.isFitted());
            fresh.loadStateDict(state);
            assertArrayEquals(fitted.transform(x).data(), fresh.transform(x).data(), fitted.toString());
            assertArrayEquals(fitted.inverseTransform(x).data(), fresh.inverseTransform(x).data());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new StandardScaler().loadStateDict(Map.of()))
            .getMessage().contains("mean"));
    }

    @Test
    void useBeforeFitAndMisuseGiveClearErrors() {
        String msg = assertThrows(IllegalStateException.class, () -> new MinMaxScaler().transform(new float[] {1}))
            .getMessage();
        assertTrue(msg.contains("MinMaxScaler") && msg.contains("fit"), msg);
        assertThrows(IllegalStateException.class, () -> new StandardScaler().inverseTransform(Tensor.zeros(2)));
        assertThrows(IllegalStateException.class, () -> new StandardScaler().stateDict());
        String nan = assertThrows(IllegalArgumentException.class,
            () -> new StandardScaler().fit(new float[] {1, Float.NaN})).getMessage();
        assertTrue(nan.contains("NaN") && nan.contains("position 1"), nan);
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler().fit(new float[0]));
        MinMaxScaler two = new MinMaxScaler().fit(Tensor.zeros(3, 2));
        String shape = assertThrows(IllegalArgumentException.class, () -> two.transform(Tensor.zeros(3, 4))).getMessage();
        assertTrue(shape.contains("2 features") && shape.contains("[3, 4]"), shape);
        assertThrows(IllegalArgumentException.class, () -> two.transform(new float[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> two.transform(Tensor.zeros(2), 2));
        assertThrows(IllegalArgumentException.class, () -> new MinMaxScaler(1f, 0f));
    }
}
