package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import org.junit.jupiter.api.Test;

/**
 * ReduceLROnPlateau against PyTorch 1.13 (make_optim_reference.py, the PLATEAU lines: the group's lr
 * after each {@code step(metric)}, starting from lr 1.0).
 */
class ReduceLROnPlateauTest {

    private static double[] run(ReduceLROnPlateau s, double[] metrics) {
        double[] out = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.optimizer().step();
            s.step(metrics[i]);
            out[i] = s.getLastLr()[0];
        }
        return out;
    }

    @Test
    void minModeWithRelativeThresholdPatienceAndCooldown() {
        // factor 0.5, patience 2, cooldown 1, threshold 0.1 (rel: better means < 0.9 * best). By hand:
        //  e1 1.0 best; e2 0.95, e3 0.93 not < 0.9: bad 1, 2; e4 0.99 bad 3 > 2 -> lr 0.5, cooldown 1
        //  e5 0.5 new best, cooldown ends; e6-e8 0.49 0.48 0.47 not < 0.45: bad 3 -> lr 0.25, cooldown 1
        //  e9 0.47 bad but in cooldown -> 0; e10 0.46 bad 1; e11 0.2 best; e12-e14 0.3 -> bad 3 -> lr 0.125
        double[] metrics = {1.0, 0.95, 0.93, 0.99, 0.5, 0.49, 0.48, 0.47, 0.47, 0.46, 0.2, 0.3, 0.3, 0.3};
        double[] pytorch = {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.125};
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(LRSchedulerTest.sgd(1.0))
            .factor(0.5).patience(2).cooldown(1).threshold(0.1).build();
        assertArrayEquals(pytorch, run(s, metrics));
        assertEquals(0.2, s.best());
        assertEquals(14, s.lastEpoch());
    }

    @Test
    void maxModeWithAbsoluteThresholdAndAMinimumLr() {
        // factor 0.1, patience 1, threshold 0.05 abs (better means > best + 0.05), min_lr 0.005:
        //  0.1 best, 0.2 best, 0.25 bad 1 (not > 0.2 + 0.05), 0.26 best, 0.27 bad 1 (not > 0.31),
        //  0.5 best, then 0.5 five times: bad 1, bad 2 -> lr 0.1; bad 1, bad 2 -> lr 0.01; bad 1.
        //  (1.0 * 0.1 * 0.1 = 0.010000000000000002 in double, as in PyTorch)
        double[] metrics = {0.1, 0.2, 0.25, 0.26, 0.27, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
        double[] pytorch = {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002};
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(LRSchedulerTest.sgd(1.0))
            .mode("max").factor(0.1).patience(1).threshold(0.05).thresholdMode("abs").minLr(0.005).build();
        assertArrayEquals(pytorch, run(s, metrics));
        // two more bad epochs: max(0.01 * 0.1, 0.005) = 0.005, and then no change (0.005 is the floor)
        s.step(0.5);
        s.step(Tensor.scalar(0.5f));
        assertEquals(0.005, s.getLastLr()[0]);
        s.step(0.5);
        s.step(0.5);
        assertEquals(0.005, s.getLastLr()[0]);
    }

    @Test
    void cooldownSuspendsCountingAfterEachReduction() {
        // patience 0, cooldown 2, a flat metric: e1 best; e2 bad -> lr 0.5, cooldown 2; e3, e4 in
        // cooldown (bad epochs ignored); e5 bad -> 0.25; e6, e7 cooldown; e8 -> 0.125.
        // Without the cooldown the rate would halve every epoch.
        double[] pytorch = {1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125}; // PLATEAU_COOLDOWN
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(LRSchedulerTest.sgd(1.0)).factor(0.5).patience(0).cooldown(2).build();
        assertArrayEquals(pytorch, run(s, new double[] {1, 1, 1, 1, 1, 1, 1, 1}));
    }

    @Test
    void aNanMetricCountsAsABadEpoch() {
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(LRSchedulerTest.sgd(1.0)).patience(0).build();
        s.step(1.0);
        s.step(Double.NaN);
        assertEquals(0.1, s.getLastLr()[0], 1e-15);
    }

    @Test
    void perGroupMinimumsAndValidation() {
        SGD opt = LRSchedulerTest.sgd(1.0, 1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(opt).patience(0).factor(0.5).minLrs(0.75, 0.1).build();
        s.step(1.0);
        s.step(2.0);
        assertArrayEquals(new double[] {0.75, 0.5}, s.getLastLr());
        assertEquals("expected 2 min_lrs, got 1", message(() -> ReduceLROnPlateau.builder(opt).minLrs(0.1).build()));
        assertTrue(message(() -> ReduceLROnPlateau.builder(opt).factor(1.0).build()).startsWith("Factor should be < 1.0"));
        assertTrue(message(() -> ReduceLROnPlateau.builder(opt).mode("avg").build()).startsWith("mode avg is unknown!"));
        assertTrue(message(() -> ReduceLROnPlateau.builder(opt).thresholdMode("pct").build())
            .startsWith("threshold mode pct is unknown!"));
        assertTrue(message(() -> ReduceLROnPlateau.builder(opt).patience(-1).build()).startsWith("Invalid patience: -1"));
        assertTrue(message(() -> ReduceLROnPlateau.builder(opt).cooldown(-1).build()).startsWith("Invalid cooldown: -1"));
        assertEquals("Invalid threshold: NaN", message(() -> ReduceLROnPlateau.builder(opt).threshold(Double.NaN).build()));
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void restoredFromItsStateDictItContinuesTheSameWay() {
        double[] metrics = {1.0, 0.95, 0.93, 0.99, 0.5, 0.49, 0.48, 0.47, 0.47, 0.46, 0.2, 0.3, 0.3, 0.3};
        ReduceLROnPlateau straight = ReduceLROnPlateau.builder(LRSchedulerTest.sgd(1.0))
            .factor(0.5).patience(2).cooldown(1).threshold(0.1).build();
        double[] expected = run(straight, metrics);

        SGD opt = LRSchedulerTest.sgd(1.0);
        ReduceLROnPlateau first = ReduceLROnPlateau.builder(opt).factor(0.5).patience(2).cooldown(1).threshold(0.1).build();
        run(first, java.util.Arrays.copyOf(metrics, 8)); // mid-cooldown after epoch 8
        assertEquals(1, first.cooldownCounter());
        StateDict optState = opt.stateDict();
        StateDict state = first.stateDict();
        assertEquals("1", state.value("cooldown_counter"));
        assertEquals("0.5", state.value("best"));

        SGD opt2 = LRSchedulerTest.sgd(1.0);
        ReduceLROnPlateau second = new ReduceLROnPlateau(opt2); // defaults; the state brings the settings
        opt2.loadStateDict(optState);
        second.loadStateDict(state);
        double[] rest = run(second, java.util.Arrays.copyOfRange(metrics, 8, metrics.length));
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 8, expected.length), rest);
    }
}
