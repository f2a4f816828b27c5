package io.github.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.GradMode;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.data.DataLoader;
import io.github.lstm4j.data.TensorDataset;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.nn.Forward;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.nn.Module;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.ClipGrad;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.ReduceLROnPlateau;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    Path dir;

    private final TrainLogs logs = new TrainLogs();

    @BeforeEach
    void quiet() {
        logs.start();
    }

    @AfterEach
    void restore() {
        Thread.interrupted();
        logs.stop();
    }

    // ------------------------------------------------------------------ the loop adds nothing hidden

    @Test
    void trainerAndHandWrittenLoopGiveBitIdenticalWeights() {
        int epochs = 5;
        TrainingSetup byHand = new TrainingSetup(3, 30);
        double[] trainLoss = new double[epochs];
        double[] valLoss = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double sum = 0;
            int n = 0;
            for (Tensor[] batch : byHand.loader) {
                byHand.model.train();
                Tensor outputs = byHand.model.forward(batch[0]);
                byHand.optimizer.zeroGrad();
                Tensor loss = byHand.criterion.forward(outputs, batch[1]);
                loss.backward();
                ClipGrad.clipGradNorm(byHand.model.parameters(), 0.5);
                byHand.optimizer.step();
                sum += (double) loss.item() * batch[0].size(0);
                n += batch[0].size(0);
            }
            trainLoss[epoch] = sum / n;
            valLoss[epoch] = evaluate(byHand.model, byHand.criterion::forward, byHand.valLoader);
            byHand.scheduler.step();
        }

        TrainingSetup fitted = new TrainingSetup(3, 30);
        History history = fitted.trainer()
            .scheduler(fitted.scheduler)
            .clipGradNorm(0.5)
            .validationLoader(fitted.valLoader)
            .epochs(epochs)
            .build()
            .fit();

        Weights.assertBitIdentical(Weights.bits(byHand.model), Weights.bits(fitted.model));
        assertArrayEquals(trainLoss, history.trainLoss());
        assertArrayEquals(valLoss, history.valLoss());
        assertArrayEquals(new double[] {0.01, 0.01, 0.005, 0.005, 0.0025}, history.lr());
        assertEquals(History.StopReason.COMPLETED, history.stopReason());
        assertFalse(history.restoredBestWeights());
    }

    /** The tutorial's full-batch loop on {@code LSTMModel} and a Trainer over one unshuffled batch agree. */
    @Test
    void tutorialLoopAndTrainerAgreeOnTheTutorialModel() {
        Generator gen = new Generator(0);
        Tensor xTrain = Tensor.randn(gen, 32, 10, 1);
        Tensor yTrain = Tensor.randn(gen, 32, 1);

        Generator.manualSeed(0);
        LSTMModel model = new LSTMModel(1, 8, 1, 2);
        MSELoss criterion = new MSELoss();
        Optimizer optimizer = new Adam(model.parameters(), 0.001);
        float[] losses = new float[10];
        for (int epoch = 0; epoch < 10; epoch++) {
            model.train();
            Tensor outputs = model.forward(xTrain);
            optimizer.zeroGrad();
            Tensor loss = criterion.forward(outputs, yTrain);
            loss.backward();
            optimizer.step();
            losses[epoch] = loss.item();
        }

        Generator.manualSeed(0);
        LSTMModel model2 = new LSTMModel(1, 8, 1, 2);
        History history = Trainer.builder(model2)
            .loss(new MSELoss()::forward)
            .optimizer(new Adam(model2.parameters(), 0.001))
            .trainLoader(new DataLoader(new TensorDataset(xTrain, yTrain), 32))
            .epochs(10)
            .logEvery(0)
            .build()
            .fit();

        Weights.assertBitIdentical(Weights.bits(model), Weights.bits(model2));
        for (int epoch = 0; epoch < 10; epoch++) {
            assertEquals(losses[epoch], (float) history.trainLoss()[epoch], "epoch " + epoch);
        }
    }

    /** The sample-weighted mean loss over a loader in eval mode under noGrad, as the Trainer computes it. */
    @SuppressWarnings("try")
    private static <M extends Module & Forward> double evaluate(M model, BiFunction<Tensor, Tensor, Tensor> criterion,
                                                                DataLoader loader) {
        model.eval();
        double sum = 0;
        int n = 0;
        try (NoGrad ignored = Tensor.noGrad()) {
            for (Tensor[] batch : loader) {
                Tensor out = model.forward(batch[0]);
                sum += (double) criterion.apply(out, batch[1]).item() * batch[0].size(0);
                n += batch[0].size(0);
            }
        }
        model.train();
        return sum / n;
    }

    // ------------------------------------------------------------------ early stopping

    /**
     * The tutorial model fitting a noisy signal and checked on the clean one: the validation loss
     * falls for 16 epochs, then rises as the model learns the noise.
     */
    private static final class Overfit {
        final LSTMModel model;
        final MSELoss criterion = new MSELoss();
        final Adam optimizer;
        final DataLoader train;
        final DataLoader val;

        Overfit() {
            Generator.manualSeed(17);
            model = new LSTMModel(1, 8, 1, 2);
            optimizer = new Adam(model.parameters(), 0.01);
            train = DataLoader.builder(TrainingSetup.signal(1, 16, 0.5f)).batchSize(8).shuffle(new Generator(2))
                .build();
            val = new DataLoader(TrainingSetup.signal(3, 12, 0f), 5);
        }

        Trainer.Builder trainer(int patience, Map<Integer, Map<String, int[]>> snapshots) {
            return Trainer.builder(model).loss(criterion::forward).optimizer(optimizer).trainLoader(train)
                .validationLoader(val).epochs(300).logEvery(0).earlyStopping(patience, 1e-4)
                .callback(new Callback() {
                    @Override
                    public boolean onEpochEnd(EpochResult r) {
                        snapshots.put(r.epoch(), Weights.bits(model));
                        return false;
                    }
                });
        }
    }

    @Test
    void earlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        Overfit run = new Overfit();
        Map<Integer, Map<String, int[]>> snapshots = new HashMap<>();
        History history = run.trainer(4, snapshots).build().fit();

        assertEquals(History.StopReason.EARLY_STOPPING, history.stopReason());
        assertTrue(history.stoppedEarly());
        int best = history.bestEpoch();
        assertTrue(best > 0 && history.size() < 300, "best epoch " + best + " of " + history.size());
        assertEquals(best + 1 + 4, history.size(), "stops exactly 4 epochs after the best");
        double[] val = history.valLoss();
        assertEquals(val[best], history.bestLoss());
        assertEquals(Arrays.stream(val).min().getAsDouble(), history.bestLoss());
        for (int e = best + 1; e < val.length; e++) {
            assertFalse(val[e] < history.bestLoss() - 1e-4, "epoch " + e + " would have improved");
        }
        assertTrue(history.epochs().get(best).improved());

        assertTrue(history.restoredBestWeights());
        Weights.assertBitIdentical(snapshots.get(best), Weights.bits(run.model));
        assertTrue(Weights.differ(snapshots.get(history.size() - 1), Weights.bits(run.model)));
        assertEquals(history.bestLoss(), evaluate(run.model, run.criterion::forward, run.val),
            "the restored weights give the best validation loss again");
        assertTrue(run.model.isTraining());
        assertTrue(logs.messages().stream().anyMatch(m -> m.startsWith("Early stopping after epoch " + history.size())),
            logs.messages().toString());
    }

    @Test
    void earlyStoppingCountsEpochsThatDoNotBeatTheBestByMinDelta() {
        EarlyStopping es = new EarlyStopping(2, 0.1);
        assertTrue(es.update(0, 1.0));
        assertFalse(es.update(1, 0.95));   // better, but not by more than 0.1
        assertFalse(es.shouldStop());
        assertTrue(es.update(2, 0.85));    // resets the count
        assertFalse(es.update(3, Double.NaN));
        assertFalse(es.shouldStop());
        assertFalse(es.update(4, 0.80));
        assertTrue(es.shouldStop());
        assertEquals(2, es.bestEpoch);
        assertEquals(0.85, es.bestLoss());
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -1e-3));
    }

    @Test
    void resumingAnEarlyStoppedRunTrainsNoFurther() throws IOException {
        Path ckpt = dir.resolve("run/ckpt.safetensors");
        Overfit first = new Overfit();
        History stopped = first.trainer(3, new HashMap<>()).checkpointEvery(10, ckpt).build().fit();
        assertEquals(stopped.size(), Checkpoint.load(ckpt).epoch(), "the stopping epoch is checkpointed");

        Overfit again = new Overfit();
        List<Integer> started = new ArrayList<>();
        History resumed = again.trainer(3, new HashMap<>()).resumeFrom(ckpt)
            .callback(new Callback() {
                @Override
                public void onEpochStart(int epoch) {
                    started.add(epoch);
                }
            })
            .build().fit();
        assertEquals(List.of(), started);
        assertEquals(History.StopReason.EARLY_STOPPING, resumed.stopReason());
        assertArrayEquals(stopped.valLoss(), resumed.valLoss());
        assertEquals(stopped.bestEpoch(), resumed.bestEpoch());
        Weights.assertBitIdentical(Weights.bits(first.model), Weights.bits(again.model));
    }

    // ------------------------------------------------------------------ failures

    @Test
    void nanLossStopsNamingEpochAndStepAndKeepsTheLastCheckpoint() throws IOException {
        TrainingSetup s = new TrainingSetup(5, 50);
        Path ckpt = dir.resolve("ckpt.safetensors");
        int[] trainingCalls = {0};
        BiFunction<Tensor, Tensor, Tensor> poisoned = (out, y) -> {
            Tensor loss = s.criterion.forward(out, y);
            if (GradMode.isEnabled() && ++trainingCalls[0] == 11) {   // epoch index 2, its 3rd batch
                return loss.mul(Float.NaN);
            }
            return loss;
        };
        byte[][] fileAtEpochStart = new byte[1][];
        AtomicReference<Map<String, int[]>> afterStep10 = new AtomicReference<>();
        Trainer trainer = s.trainer().loss(poisoned).epochs(5).checkpointEvery(1, ckpt)
            .callback(new Callback() {
                @Override
                public void onEpochStart(int epoch) {
                    if (epoch == 2) {
                        fileAtEpochStart[0] = readAll(ckpt);
                    }
                }

                @Override
                public void onBatchEnd(long step, double loss) {
                    if (step == 10) {
                        afterStep10.set(Weights.bits(s.model));
                    }
                }
            })
            .build();

        IllegalStateException e = assertThrows(IllegalStateException.class, trainer::fit);
        String m = e.getMessage();
        assertTrue(m.contains("training loss is NaN at epoch 3/5"), m);
        assertTrue(m.contains("step 11 (batch 3 of 4"), m);
        assertTrue(m.contains(ckpt.toString()) && m.contains("(epoch 2), is intact"), m);

        assertArrayEquals(fileAtEpochStart[0], readAll(ckpt));
        Checkpoint saved = Checkpoint.load(ckpt);
        assertEquals(2, saved.epoch());
        assertEquals(8L, saved.step());
        Weights.assertBitIdentical(afterStep10.get(), Weights.bits(s.model));
    }

    @Test
    void failedCheckpointWriteDuringFitKeepsThePreviousCheckpoint() throws IOException {
        TrainingSetup s = new TrainingSetup(5, 50);
        Path ckpt = dir.resolve("ckpt.safetensors");
        byte[][] fileBefore = new byte[1][];
        Trainer trainer = s.trainer().epochs(5).checkpointEvery(1, ckpt)
            .callback(new Callback() {
                @Override
                public boolean onEpochEnd(EpochResult r) {
                    if (r.epoch() == 2) {
                        fileBefore[0] = readAll(ckpt);
                        Thread.currentThread().interrupt(); // the checkpoint's file channel fails on its first write
                    }
                    return false;
                }
            })
            .build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, trainer::fit);
        Thread.interrupted();
        assertTrue(e.getMessage().contains("checkpoint of epoch 3") && e.getMessage().contains("(epoch 2) is intact"),
            e.getMessage());
        assertArrayEquals(fileBefore[0], readAll(ckpt));
        assertEquals(2, Checkpoint.load(ckpt).epoch());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void resumingRefusesACheckpointThatDoesNotFit() throws IOException {
        TrainingSetup s = new TrainingSetup(5, 50);
        Path ckpt = dir.resolve("ckpt.safetensors");
        s.trainer().scheduler(s.scheduler).epochs(1).checkpointEvery(1, ckpt).build().fit();

        TrainingSetup noScheduler = new TrainingSetup(5, 50);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> noScheduler.trainer().epochs(2).resumeFrom(ckpt).build().fit());
        assertTrue(e.getMessage().contains("StepLR") && e.getMessage().contains("no scheduler"), e.getMessage());

        TrainingSetup withValidation = new TrainingSetup(5, 50);
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
            () -> withValidation.trainer().scheduler(withValidation.scheduler)
                .validationLoader(withValidation.valLoader)
                .epochs(2).resumeFrom(ckpt).build().fit());
        assertTrue(v.getMessage().contains("\"" + Trainer.VAL_LOADER_RNG + "\""), v.getMessage());
    }

    @Test
    void builderNamesWhatIsMissing() {
        TrainingSetup s = new TrainingSetup(5, 50);
        IllegalArgumentException noLoss = assertThrows(IllegalArgumentException.class,
            () -> Trainer.builder(s.model).optimizer(s.optimizer).trainLoader(s.loader).build());
        assertTrue(noLoss.getMessage().contains("loss"), noLoss.getMessage());
        IllegalArgumentException noOpt = assertThrows(IllegalArgumentException.class,
            () -> Trainer.builder(s.model).loss(s.criterion::forward).trainLoader(s.loader).build());
        assertTrue(noOpt.getMessage().contains("optimizer"), noOpt.getMessage());
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
            () -> Trainer.builder(s.model).loss(s.criterion::forward).optimizer(s.optimizer).build());
        assertTrue(noData.getMessage().contains("training loader"), noData.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> s.trainer().generator(Trainer.DEFAULT_RNG, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> s.trainer().generator("has.dot", new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> s.trainer().epochs(0));
    }

    // ------------------------------------------------------------------ callbacks, logging, modes

    @Test
    void callbacksRunInOrderAndCanStopTraining() {
        TrainingSetup s = new TrainingSetup(5, 50);
        List<String> events = new ArrayList<>();
        Callback first = recorder("A", events, -1);
        Callback second = recorder("B", events, 1);
        History history = s.trainer().epochs(10).callback(first).callback(second).build().fit();

        List<String> expected = new ArrayList<>();
        long step = 0;
        for (int epoch = 0; epoch < 2; epoch++) {
            expected.add("A start " + epoch);
            expected.add("B start " + epoch);
            for (int b = 0; b < TrainingSetup.BATCHES_PER_EPOCH; b++) {
                step++;
                expected.add("A batch " + step);
                expected.add("B batch " + step);
            }
            expected.add("A end " + epoch + " step " + step);
            expected.add("B end " + epoch + " step " + step);
        }
        assertEquals(expected, events);
        assertEquals(2, history.size());
        assertEquals(History.StopReason.CALLBACK, history.stopReason());
        assertTrue(history.stoppedEarly());
    }

    private static Callback recorder(String name, List<String> events, int stopAtEpoch) {
        return new Callback() {
            @Override
            public void onEpochStart(int epoch) {
                events.add(name + " start " + epoch);
            }

            @Override
            public void onBatchEnd(long step, double loss) {
                assertTrue(Double.isFinite(loss));
                events.add(name + " batch " + step);
            }

            @Override
            public boolean onEpochEnd(EpochResult r) {
                events.add(name + " end " + r.epoch() + " step " + r.step());
                return r.epoch() == stopAtEpoch;
            }
        };
    }

    @Test
    void progressIsLoggedEveryLogIntervalEpochs() {
        TrainingSetup s = new TrainingSetup(5, 50);
        s.trainer().validationLoader(s.valLoader).epochs(7).logEvery(3).build().fit();
        List<String> lines = logs.progressLines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("Epoch [3/7] train loss "), lines.get(0));
        assertTrue(lines.get(1).startsWith("Epoch [6/7] train loss "), lines.get(1));
        for (String line : lines) {
            assertTrue(line.contains(", val loss ") && line.contains(", lr 0.01")
                && line.contains(" steps/s, elapsed ") && line.endsWith(" s"), line);
        }

        TrainingSetup silent = new TrainingSetup(5, 50);
        int before = logs.progressLines().size();
        silent.trainer().epochs(3).logEvery(0).build().fit();
        assertEquals(before, logs.progressLines().size());
    }

    @Test
    void validationRunsInEvalModeWithoutGradAndTrainModeComesBack() {
        TrainingSetup s = new TrainingSetup(5, 50);
        Set<String> trainingCalls = new LinkedHashSet<>();
        List<String> validationCalls = new ArrayList<>();
        History history = Trainer.builder(s.model, x -> {
                String mode = "training=" + s.model.isTraining() + " grad=" + GradMode.isEnabled();
                if (s.model.isTraining()) {
                    trainingCalls.add(mode);
                } else {
                    validationCalls.add(mode);
                }
                return s.model.forward(x);
            })
            .loss(s.criterion::forward).optimizer(s.optimizer).trainLoader(s.loader).validationLoader(s.valLoader)
            .epochs(3).logEvery(0).build().fit();

        assertEquals(Set.of("training=true grad=true"), trainingCalls);
        assertEquals(3 * s.valLoader.len(), validationCalls.size());
        assertEquals(Set.of("training=false grad=false"), Set.copyOf(validationCalls));
        assertTrue(s.model.isTraining());
        assertTrue(GradMode.isEnabled());
        assertTrue(Arrays.stream(history.valLoss()).allMatch(Double::isFinite));
    }

    @Test
    void reduceLROnPlateauIsSteppedWithTheValidationLoss() {
        TrainingSetup s = new TrainingSetup(5, 50);
        ReduceLROnPlateau plateau = ReduceLROnPlateau.builder(s.optimizer).patience(0).factor(0.5).threshold(0).build();
        History history = s.trainer().scheduler(plateau).validationLoader(s.valLoader).epochs(6).build().fit();

        assertEquals(6, plateau.lastEpoch());
        assertEquals(Arrays.stream(history.valLoss()).min().getAsDouble(), plateau.best());
        double[] lr = history.lr();
        for (int e = 1; e < lr.length; e++) {
            boolean improved = history.valLoss()[e - 1] < Arrays.stream(history.valLoss(), 0, e - 1).min().orElse(
                Double.POSITIVE_INFINITY);
            assertEquals(improved ? lr[e - 1] : lr[e - 1] * 0.5, lr[e], 1e-15, "lr of epoch " + e);
        }
    }
}
