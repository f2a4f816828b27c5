package io.github.lstm4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerTest {

    private static final SearchSpace SPACE = new SearchSpace()
        .choice("hiddenSize", 32, 50, 64, 128)
        .intRange("layers", 1, 3)
        .uniform("dropout", 0, 0.5)
        .logUniform("lr", 1e-4, 1e-2);

    /** A deterministic function of the parameters and the trial's seed. */
    private static double score(Trial t) {
        Params p = t.params();
        double noise = new SplittableRandom(t.seed()).nextDouble() * 0.01;
        double lr = Math.log10(p.getDouble("lr")) + 3;
        return lr * lr + p.getDouble("dropout") + Math.abs(p.getInt("hiddenSize") - 64) / 64.0 + p.getInt("layers") + noise;
    }

    private static List<String> fingerprint(TuningResult r) {
        return r.trials().stream()
            .map(t -> t.number() + " " + t.params() + " " + t.seed() + " " + t.state() + " " + t.score())
            .collect(Collectors.toList());
    }

    @Test
    void randomSearchIsReproducibleWithASeed() {
        TuningResult a = new Tuner(SPACE).trials(15).threads(2).seed(3).run(TunerTest::score);
        TuningResult b = new Tuner(SPACE).trials(15).threads(1).seed(3).run(TunerTest::score);
        TuningResult c = new Tuner(SPACE).trials(15).threads(2).seed(4).run(TunerTest::score);
        assertEquals(fingerprint(a), fingerprint(b), "random trials depend on the seed and trial number only");
        assertNotEquals(fingerprint(a), fingerprint(c));
        assertEquals(15, a.trials().stream().map(TrialResult::seed).distinct().count(), "every trial has its own seed");
    }

    @Test
    void sameSeedAndThreadsGiveTheSameBayesianSearchWhateverOrderTrialsFinishIn() {
        Objective jittery = t -> {
            // finish in a different order on every run
            Thread.sleep(ThreadLocalRandom.current().nextInt(4));
            double s = score(t);
            for (int epoch = 1; epoch <= 4; epoch++) {
                t.reportOrPrune(epoch, s + 1.0 / epoch);
            }
            return s;
        };
        Tuner tuner = new Tuner(SPACE).strategy(new BayesianSearch().startupTrials(5)).pruner(new MedianPruner(3, 2))
            .trials(24).threads(3).seed(11);
        TuningResult first = tuner.run(jittery);
        TuningResult second = tuner.run(jittery);
        assertEquals(fingerprint(first), fingerprint(second));
        assertTrue(first.count(TrialState.PRUNED) > 0, "the pruner took part: " + first.table());
    }

    @Test
    void failingTrialsAreRecordedAndTheSearchGoesOn() {
        SearchSpace space = new SearchSpace().intRange("k", 0, 5);
        TuningResult r = new Tuner(space).strategy(new GridSearch()).threads(2).run(t -> {
            int k = t.params().getInt("k");
            switch (k) {
                case 1:
                    throw new IllegalStateException("diverged, loss exploded");
                case 2:
                    return Double.NaN;
                case 3:
                    t.report(1, 0.5);
                    t.reportOrPrune(2, Double.NaN);
                    return 0.0;
                default:
                    return 10 - k;
            }
        });
        List<TrialState> states = r.trials().stream().map(TrialResult::state).collect(Collectors.toList());
        assertEquals(List.of(TrialState.COMPLETE, TrialState.FAILED, TrialState.FAILED, TrialState.FAILED,
            TrialState.COMPLETE, TrialState.COMPLETE), states);
        assertEquals("IllegalStateException: diverged, loss exploded", r.trials().get(1).error());
        assertEquals("objective returned NaN", r.trials().get(2).error());
        assertEquals("reported NaN at epoch 2", r.trials().get(3).error());
        assertEquals(5, r.bestParams().getInt("k"));
        assertEquals(5.0, r.bestScore());
        assertEquals(3, r.count(TrialState.FAILED));
    }

    @Test
    void maximizingPicksTheHighestScore() {
        SearchSpace space = new SearchSpace().intRange("k", 0, 5);
        TuningResult r = new Tuner(space).strategy(new GridSearch()).maximize().threads(1).run(t -> -Math.abs(t.params().getInt("k") - 2));
        assertEquals(2, r.bestParams().getInt("k"));
        assertEquals(0.0, r.bestSoFar()[5]);
        assertEquals(-2.0, r.bestSoFar()[0]);
    }

    @Test
    void csvTableAndPlotListEveryTrial(@TempDir Path dir) throws IOException {
        SearchSpace space = new SearchSpace().choice("act", "tanh", "relu").intRange("k", 1, 2).fixed("epochs", 3);
        TuningResult r = new Tuner(space).strategy(new GridSearch()).threads(1).run(t -> {
            if (t.params().getInt("k") == 2 && t.params().get("act").equals("relu")) {
                throw new IllegalArgumentException("bad \"relu\", k=2");
            }
            return t.params().getInt("k") + (t.params().get("act").equals("relu") ? 0.5 : 0);
        });
        Path csv = dir.resolve("sub/trials.csv");
        r.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("number,state,score,duration_ms,act,k,epochs,note", lines.get(0));
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).matches("0,COMPLETE,1\\.0,\\d+,tanh,1,3,"), lines.get(1));
        assertTrue(lines.get(3).matches("2,COMPLETE,1\\.5,\\d+,relu,1,3,"), lines.get(3));
        assertTrue(lines.get(4).matches("3,FAILED,,\\d+,relu,2,3,\"IllegalArgumentException: bad \"\"relu\"\", k=2\""), lines.get(4));

        String[] table = r.table().split("\n");
        assertEquals(5, table.length);
        assertTrue(table[0].matches("trial\\s+state\\s+score\\s+time_s\\s+act\\s+k\\s+epochs"), table[0]);
        assertTrue(table[1].matches("\\s*\\*0\\s+COMPLETE\\s+1\\.00000\\s+\\d+\\.\\d\\d\\s+tanh\\s+1\\s+3"), table[1]);
        assertTrue(table[4].matches("\\s+3\\s+FAILED\\s+-\\s+.*"), table[4]);

        Path png = dir.resolve("trials.png");
        r.writePlot(png, "test search");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(500, img.getHeight());
    }

    @Test
    void searchesWithoutATrialCountOrWithBadSettingsAreRejected() {
        SearchSpaceTest.assertMessage("set trials(n) for RandomSearch", () -> new Tuner(SPACE).run(t -> 0));
        SearchSpaceTest.assertMessage("threads must be >= 1, got 0", () -> new Tuner(SPACE).threads(0));
        SearchSpaceTest.assertMessage("gamma must be in (0, 1), got 1.5", () -> new BayesianSearch().gamma(1.5));
        SearchSpaceTest.assertMessage("eta must be >= 2, got 1", () -> new SuccessiveHalvingPruner(1, 1, 1));
    }
}
