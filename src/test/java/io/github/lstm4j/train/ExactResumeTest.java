package io.github.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training N steps, saving, loading into fresh objects and training M more gives the same bits as
 * N + M uninterrupted steps. The model has dropout drawing from the default generator and the loader
 * shuffles, so every saved generator matters.
 */
class ExactResumeTest {

        private static final int TOTAL_STEPS = 16;
    private static final int SAVE_AT = 9;           // epoch 2 (from 0), after its first batch

    @TempDir
    Path dir;

    private final TrainLogs logs = new TrainLogs();

    @BeforeEach
    void quiet() {
        logs.start();
    }

    @AfterEach
    void restore() {
        logs.stop();
    }

    /**
     * The tutorial's loop over a loader, from (epoch, batch) to {@code totalSteps} steps; the
     * scheduler steps after every complete epoch. Saves a checkpoint after step {@code saveAt}
     * when {@code file} is not null.
     */
    private static void train(TrainingSetup s, int startEpoch, int skipBatches, long startStep, int totalSteps,
                              int saveAt, Path file) throws IOException {
        long step = startStep;
        for (int epoch = startEpoch; step < totalSteps; epoch++) {
            long[] loaderStateAtEpochStart = s.loader.generatorState();
            Iterator<Tensor[]> batches = s.loader.iterator();
            int batch = 0;
            for (; epoch == startEpoch && batch < skipBatches; batch++) {
                batches.next();
            }
            while (batches.hasNext() && step < totalSteps) {
                Tensor[] b = batches.next();
                s.model.train();
                Tensor outputs = s.model.forward(b[0]);
                s.optimizer.zeroGrad();
                Tensor loss = s.criterion.forward(outputs, b[1]);
                loss.backward();
                s.optimizer.step();
                step++;
                batch++;
                if (file != null && step == saveAt) {
                    Checkpoint.builder()
                        .model(s.model).optimizer(s.optimizer).scheduler(s.scheduler)
                        .epoch(epoch).step(step)
                        .generatorState("loader_at_epoch_start", loaderStateAtEpochStart)
                        .generator("default", Generator.defaultGenerator())
                        .metadata("batch_in_epoch", Integer.toString(batch))
                        .save(file);
                }
            }
            if (!batches.hasNext()) {
                s.scheduler.step();
            }
        }
    }

    private enum Restore { ALL, ALL_BUT_DEFAULT_GENERATOR, ALL_BUT_LOADER_GENERATOR }

    /** Trains SAVE_AT steps and saves; then fresh objects resume to TOTAL_STEPS. */
    private TrainingSetup interruptedRun(Restore what) throws IOException {
        Path file = dir.resolve("ckpt-" + what + ".safetensors");
        TrainingSetup first = new TrainingSetup(7, 99);
        train(first, 0, 0, 0, SAVE_AT, SAVE_AT, file);

        TrainingSetup fresh = new TrainingSetup(1234, 5678);
        Checkpoint ckpt = Checkpoint.load(file);
        ckpt.restoreModel(fresh.model);
        ckpt.restoreOptimizer(fresh.optimizer);
        ckpt.restoreScheduler(fresh.scheduler);
        if (what != Restore.ALL_BUT_LOADER_GENERATOR) {
            fresh.loader.setGeneratorState(ckpt.generatorState("loader_at_epoch_start"));
        }
        if (what != Restore.ALL_BUT_DEFAULT_GENERATOR) {
            ckpt.restoreGenerator("default", Generator.defaultGenerator());
        }
        assertEquals(SAVE_AT / TrainingSetup.BATCHES_PER_EPOCH, ckpt.epoch());
        train(fresh, ckpt.epoch(), Integer.parseInt(ckpt.metadata("batch_in_epoch")), ckpt.step(), TOTAL_STEPS, -1,
            null);
        return fresh;
    }

    @Test
    void resumingMidEpochMatchesTheUninterruptedRunBitForBit() throws IOException {
        TrainingSetup straight = new TrainingSetup(7, 99);
        train(straight, 0, 0, 0, TOTAL_STEPS, -1, null);

        TrainingSetup resumed = interruptedRun(Restore.ALL);

        Weights.assertBitIdentical(Weights.bits(straight.model), Weights.bits(resumed.model));
        assertEquals(straight.optimizer.stateDict().values(), resumed.optimizer.stateDict().values());
        assertEquals(straight.scheduler.stateDict().values(), resumed.scheduler.stateDict().values());
        assertArrayEquals(straight.loader.generatorState(), resumed.loader.generatorState());
    }

    /** The comparison above is not vacuous: leaving out either generator changes the result. */
    @Test
    void everySavedGeneratorMatters() throws IOException {
        TrainingSetup straight = new TrainingSetup(7, 99);
        train(straight, 0, 0, 0, TOTAL_STEPS, -1, null);
        Map<String, int[]> expected = Weights.bits(straight.model);

        assertTrue(Weights.differ(expected, Weights.bits(interruptedRun(Restore.ALL_BUT_DEFAULT_GENERATOR).model)),
            "without the default generator (dropout masks) the weights must differ");
        assertTrue(Weights.differ(expected, Weights.bits(interruptedRun(Restore.ALL_BUT_LOADER_GENERATOR).model)),
            "without the loader's generator (shuffling) the weights must differ");
    }

    /** A Trainer run; snapshots the weights after every epoch. */
    private static History fit(TrainingSetup s, int epochs, Path checkpoint, Path resume,
                               Map<Integer, Map<String, int[]>> snaps) {
        Trainer.Builder b = s.trainer()
            .scheduler(s.scheduler)
            .clipGradNorm(1.0)
            .validationLoader(s.valLoader)
            .epochs(epochs)
            .earlyStopping(100, 0.0)
            .checkpointEvery(2, checkpoint)
            .callback(new Callback() {
                @Override
                public boolean onEpochEnd(EpochResult r) {
                    snaps.put(r.epoch(), Weights.bits(s.model));
                    return false;
                }
            });
        if (resume != null) {
            b.resumeFrom(resume);
        }
        return b.build().fit();
    }

    @Test
    void trainerResumedFromItsCheckpointMatchesTheUninterruptedRun() {
        Map<Integer, Map<String, int[]>> straightSnaps = new HashMap<>();
        History straight = fit(new TrainingSetup(7, 99), 6, dir.resolve("straight.safetensors"), null, straightSnaps);

        Path ckpt = dir.resolve("interrupted.safetensors");
        fit(new TrainingSetup(7, 99), 3, ckpt, null, new HashMap<>());
        Map<Integer, Map<String, int[]>> resumedSnaps = new HashMap<>();
        TrainingSetup fresh = new TrainingSetup(1234, 5678);
        History resumed = fit(fresh, 6, ckpt, ckpt, resumedSnaps);

        assertEquals(Map.of(3, 0, 4, 0, 5, 0).keySet(), resumedSnaps.keySet(), "only epochs 3..5 run again");
        for (int epoch = 3; epoch < 6; epoch++) {
            Weights.assertBitIdentical(straightSnaps.get(epoch), resumedSnaps.get(epoch));
        }
        assertArrayEquals(straight.trainLoss(), resumed.trainLoss());
        assertArrayEquals(straight.valLoss(), resumed.valLoss());
        assertArrayEquals(straight.lr(), resumed.lr());
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        assertEquals(6, resumed.size());
        // the best weights are restored at the end of both, even when the best epoch preceded the checkpoint
        assertTrue(straight.restoredBestWeights() && resumed.restoredBestWeights());
        assertEquals(straightSnaps.get(straight.bestEpoch()).keySet(), Weights.bits(fresh.model).keySet());
        Weights.assertBitIdentical(straightSnaps.get(straight.bestEpoch()), Weights.bits(fresh.model));
    }
}
