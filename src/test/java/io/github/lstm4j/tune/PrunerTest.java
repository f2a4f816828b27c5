package io.github.lstm4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrunerTest {

    private static final int EPOCHS = 10;

    /** A learning curve that falls towards {@code quality}: a worse quality is worse at every epoch. */
    private static double curve(double quality, int epoch) {
        return quality + 1.0 / epoch;
    }

    private static TuningResult searchQualities(Pruner pruner, Object... qualities) {
        SearchSpace space = new SearchSpace().choice("quality", qualities);
        return new Tuner(space).strategy(new GridSearch()).pruner(pruner).threads(1).run(t -> {
            double q = t.params().getDouble("quality");
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                t.reportOrPrune(epoch, curve(q, epoch));
            }
            return curve(q, EPOCHS);
        });
    }

    /**
     * With curves {@code q + 1/epoch}, a trial of quality {@code q'} reaches {@code q' + 1/e} while
     * the completed trials' running averages are {@code q + H(e)/e}: it is stopped when
     * {@code q' > median(q) + (H(e) - 1)/e}, which for these integer qualities (margins of at most
     * 0.28 against gaps of at least 0.5) means exactly {@code q' > median(q)}, at the first epoch
     * after the warm-up.
     */
    @Test
    void medianPruningStopsTrialsWorseThanTheMedianAfterTheWarmUp() {
        TuningResult r = searchQualities(new MedianPruner(3, 2), 5, 1, 9, 3, 8, 0, 7, 2, 6, 4);
        List<Double> completed = new ArrayList<>();
        for (TrialResult t : r.trials()) {
            double q = t.params().getDouble("quality");
            boolean worseThanMedian = completed.size() >= 3 && q > median(completed);
            if (worseThanMedian) {
                assertEquals(TrialState.PRUNED, t.state(), "quality " + q + " vs completed " + completed);
                assertEquals(2, t.intermediateValues().lastKey(), "pruned at the first epoch after the warm-up");
                assertEquals(curve(q, 2), t.score(), "a pruned trial's score is its last reported value");
            } else {
                assertEquals(TrialState.COMPLETE, t.state(), "quality " + q + " vs completed " + completed);
                assertEquals(EPOCHS, t.intermediateValues().size());
                completed.add(q);
            }
        }
        assertEquals(List.of(8.0, 7.0, 6.0, 4.0), r.trials().stream().filter(t -> t.state() == TrialState.PRUNED)
            .map(t -> t.params().getDouble("quality")).toList());
        assertEquals(0.0, r.bestParams().getDouble("quality"));
    }

    @Test
    void anObjectiveMayStopOnTheReportsAnswerInsteadOfCatching() {
        SearchSpace space = new SearchSpace().choice("quality", 1, 2, 3, 9);
        TuningResult r = new Tuner(space).strategy(new GridSearch()).pruner(new MedianPruner(3, 1)).threads(1).run(t -> {
            double q = t.params().getDouble("quality");
            double v = Double.NaN;
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                v = curve(q, epoch);
                if (t.report(epoch, v)) {
                    break;
                }
            }
            return v;
        });
        assertEquals(TrialState.PRUNED, r.trials().get(3).state());
        assertEquals(1, r.trials().get(3).intermediateValues().size());
    }

    @Test
    void successiveHalvingKeepsTheBestThirdAtEachRung() {
        SuccessiveHalvingPruner sha = new SuccessiveHalvingPruner(1, 3, 3);
        assertTrue(sha.isRung(1) && sha.isRung(3) && sha.isRung(9) && sha.isRung(27));
        assertFalse(sha.isRung(2) || sha.isRung(4) || sha.isRung(10));
        // five earlier trials reported 1..5 at epoch 3: with this one, six values, keep the best two
        List<TrialResult> earlier = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            earlier.add(finished(i, Map.of(1, 10.0 + i, 3, (double) i)));
        }
        assertFalse(sha.shouldPrune(Direction.MINIMIZE, earlier, at(3, 0.5)), "best value survives");
        assertFalse(sha.shouldPrune(Direction.MINIMIZE, earlier, at(3, 1.5)), "second best survives");
        assertTrue(sha.shouldPrune(Direction.MINIMIZE, earlier, at(3, 2.5)), "third of six is cut");
        assertFalse(sha.shouldPrune(Direction.MINIMIZE, earlier, at(2, 99)), "no rung at epoch 2");
        assertTrue(sha.shouldPrune(Direction.MAXIMIZE, earlier, at(3, 2.5)), "when maximising, 2.5 ranks fourth");
        assertFalse(sha.shouldPrune(Direction.MAXIMIZE, earlier, at(3, 4.5)), "when maximising, 4.5 ranks second");
        assertFalse(sha.shouldPrune(Direction.MINIMIZE, earlier.subList(0, 2), at(3, 99)), "too few values at the rung");
    }

    @Test
    void successiveHalvingPrunesMostOfABadSearch() {
        TuningResult r = searchQualities(new SuccessiveHalvingPruner(1, 3, 3), 0, 1, 2, 9, 8, 7, 6, 5, 4, 3);
        assertEquals(3, r.count(TrialState.COMPLETE) + 0, r.table());
        for (TrialResult t : r.trials()) {
            if (t.state() == TrialState.PRUNED) {
                assertEquals(1, (int) t.intermediateValues().lastKey(), "cut at the first rung: " + t);
            }
        }
    }

    private static TreeMap<Integer, Double> at(int epoch, double value) {
        return new TreeMap<>(Map.of(epoch, value));
    }

    private static double median(List<Double> v) {
        return MedianPruner.median(v.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    private static TrialResult finished(int number, Map<Integer, Double> values) {
        return new TrialResult(number, Params.of(Map.of("x", number)), 0, TrialState.COMPLETE,
            values.get(new TreeMap<>(values).lastKey()), Duration.ZERO, new TreeMap<>(values), null);
    }
}
