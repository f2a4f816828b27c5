package io.github.lstm4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.examples.LSTMModel;
import io.github.lstm4j.io.DType;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import io.github.lstm4j.io.SafetensorsException;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import io.github.lstm4j.optim.SGD;
import io.github.lstm4j.optim.StateDict;
import io.github.lstm4j.optim.Stateful;
import io.github.lstm4j.optim.StepLR;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private final TrainLogs logs = new TrainLogs();

    @BeforeEach
    void quiet() {
        logs.start();
    }

    @AfterEach
    void restore() {
        Thread.interrupted(); // never leak an interrupt into the next test
        logs.stop();
    }

    /** The tutorial model, Adam and a StepLR after a few steps on seeded data. */
    private static final class Run {
        final LSTMModel model;
        final Adam optimizer;
        final StepLR scheduler;
        final Generator shuffle = new Generator(5);
        private final Tensor x;
        private final Tensor y;

        Run(long seed) {
            Generator.manualSeed(seed);
            model = new LSTMModel(1, 8, 1, 2);
            optimizer = new Adam(model.parameters(), 0.01);
            scheduler = new StepLR(optimizer, 2, 0.5);
            Generator data = new Generator(11);
            x = Tensor.randn(data, 6, 5, 1);
            y = Tensor.randn(data, 6, 1);
        }

        void train(int steps) {
            MSELoss criterion = new MSELoss();
            for (int i = 0; i < steps; i++) {
                model.train();
                Tensor outputs = model.forward(x);
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(outputs, y);
                loss.backward();
                optimizer.step();
                scheduler.step();
                shuffle.nextLong();
            }
        }

        Checkpoint.Builder checkpoint() {
            return Checkpoint.builder().model(model).optimizer(optimizer).scheduler(scheduler).epoch(3).step(3)
                .generator("shuffle", shuffle).metadata("run", "unit test");
        }
    }

    @Test
    void checkpointHoldsEveryPartUnderItsPrefix() throws IOException {
        Run run = new Run(1);
        run.train(3);
        Path file = dir.resolve("ckpt.safetensors");
        run.checkpoint().save(file);

        SafetensorsContent raw = Safetensors.read(file);
        Map<String, RawTensor> t = raw.tensors();
        assertEquals(DType.F32, t.get("model.lstm.weight_ih_l0").dtype());
        assertEquals(DType.F32, t.get("model.fc.bias").dtype());
        assertEquals(DType.F32, t.get("optimizer.state.0.exp_avg").dtype());
        assertArrayEquals(new int[0], t.get("optimizer.state.0.step").shape());
        assertEquals(3f, t.get("optimizer.state.0.step").toFloatArray()[0]);
        assertEquals(DType.I64, t.get("rng.shuffle").dtype());
        assertArrayEquals(run.shuffle.getState(), t.get("rng.shuffle").toLongArray());

        Map<String, String> m = raw.metadata();
        assertEquals(Checkpoint.FORMAT, m.get("format"));
        assertEquals("1", m.get("format_version"));
        assertEquals("3", m.get("epoch"));
        assertEquals("3", m.get("step"));
        assertEquals("LSTMModel", m.get("model"));
        assertEquals("Adam", m.get("optimizer"));
        assertEquals("StepLR", m.get("scheduler"));
        assertEquals(Double.toString(run.optimizer.paramGroups().get(0).lr()), m.get("optimizer.param_groups.0.lr"));
        assertEquals("3", m.get("scheduler.last_epoch"));
        assertEquals("unit test", m.get("user.run"));
        List<String> stray = t.keySet().stream()
            .filter(k -> !k.startsWith("model.") && !k.startsWith("optimizer.") && !k.startsWith("rng."))
            .collect(Collectors.toList());
        assertEquals(List.of(), stray);
    }

    @Test
    void restoresIntoFreshObjectsBitForBit() throws IOException {
        Run run = new Run(1);
        run.train(3);
        Path file = dir.resolve("ckpt.safetensors");
        run.checkpoint().save(file);

        Run fresh = new Run(99);
        assertTrue(Weights.differ(Weights.bits(run.model), Weights.bits(fresh.model)), "fresh weights must differ");
        Checkpoint ckpt = Checkpoint.load(file);
        ckpt.restoreModel(fresh.model);
        ckpt.restoreOptimizer(fresh.optimizer);
        ckpt.restoreScheduler(fresh.scheduler);
        ckpt.restoreGenerator("shuffle", fresh.shuffle);

        Weights.assertBitIdentical(Weights.bits(run.model), Weights.bits(fresh.model));
        assertSameState(run.optimizer.stateDict(), fresh.optimizer.stateDict());
        assertEquals(run.scheduler.stateDict().values(), fresh.scheduler.stateDict().values());
        assertArrayEquals(run.shuffle.getState(), fresh.shuffle.getState());
        assertEquals(3, ckpt.epoch());
        assertEquals(3L, ckpt.step());
        assertEquals(Map.of("run", "unit test"), ckpt.metadata());
        assertEquals(List.of("model", "optimizer", "scheduler"), List.copyOf(ckpt.parts()));

        // and the two go on identically
        run.train(2);
        fresh.train(2);
        Weights.assertBitIdentical(Weights.bits(run.model), Weights.bits(fresh.model));
    }

    private static void assertSameState(StateDict expected, StateDict actual) {
        assertEquals(expected.values(), actual.values());
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (String k : expected.tensors().keySet()) {
            float[] a = expected.tensors().get(k).toFloatArray();
            float[] b = actual.tensors().get(k).toFloatArray();
            assertEquals(a.length, b.length, k);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), k + "[" + i + "]");
            }
        }
    }

    @Test
    void askingForAMissingPartNamesIt() throws IOException {
        Run run = new Run(1);
        Path file = dir.resolve("model-only.safetensors");
        Checkpoint.builder().model(run.model).save(file);
        Checkpoint ckpt = Checkpoint.load(file);

        IllegalArgumentException opt = assertThrows(IllegalArgumentException.class,
            () -> ckpt.restoreOptimizer(run.optimizer));
        assertTrue(opt.getMessage().contains("no optimizer state"), opt.getMessage());
        assertTrue(opt.getMessage().contains("model (LSTMModel)"), opt.getMessage());
        IllegalArgumentException sched = assertThrows(IllegalArgumentException.class,
            () -> ckpt.restoreScheduler(run.scheduler));
        assertTrue(sched.getMessage().contains("no scheduler state"), sched.getMessage());
        IllegalArgumentException rng = assertThrows(IllegalArgumentException.class,
            () -> ckpt.generatorState("loader"));
        assertTrue(rng.getMessage().contains("\"loader\""), rng.getMessage());
        IllegalArgumentException meta = assertThrows(IllegalArgumentException.class, () -> ckpt.metadata("note"));
        assertTrue(meta.getMessage().contains("\"note\""), meta.getMessage());
        assertTrue(opt.getMessage().contains(file.toString()), "the message names the file: " + opt.getMessage());
    }

    @Test
    void refusesToRestoreAnotherOptimizersState() throws IOException {
        Run run = new Run(1);
        run.train(1);
        Path file = dir.resolve("adam.safetensors");
        run.checkpoint().save(file);
        Optimizer sgd = new SGD(run.model.parameters(), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.load(file).restoreOptimizer(sgd));
        assertTrue(e.getMessage().contains("Adam") && e.getMessage().contains("SGD"), e.getMessage());
    }

    @Test
    void modelWeightsAloneAreNotACheckpoint() throws IOException {
        Run run = new Run(1);
        Path file = dir.resolve("weights.safetensors");
        run.model.save(file);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("not an lstm4j checkpoint"), e.getMessage());
    }

    @Test
    void builderRefusesReservedAndRepeatedNames() {
        Run run = new Run(1);
        assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.builder().part("rng", "X", new StateDict(Map.of(), Map.of())));
        assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.builder().part("a.b", "X", new StateDict(Map.of(), Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.builder().model(run.model).model(run.model));
        assertThrows(IllegalArgumentException.class,
            () -> Checkpoint.builder().generator("g", new Generator(1)).generator("g", new Generator(2)));
    }

    /**
     * A write that fails midway, after the temporary file was created: the thread is interrupted,
     * so the first write to the temporary file's channel closes it and throws. The previous
     * checkpoint must be byte for byte what it was, still load, and no temporary file may remain.
     */
    @Test
    void writeFailingMidwayLeavesThePreviousCheckpointIntact() throws IOException {
        Run run = new Run(1);
        run.train(2);
        Path file = dir.resolve("ckpt.safetensors");
        run.checkpoint().save(file);
        byte[] before = Files.readAllBytes(file);
        Map<String, int[]> savedWeights = Weights.bits(run.model);

        run.train(3);
        Checkpoint next = run.checkpoint().build();
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> next.save(file));
        } finally {
            Thread.interrupted();
        }

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName().toString()), listDir());
        Run fresh = new Run(42);
        Checkpoint.load(file).restoreModel(fresh.model);
        Weights.assertBitIdentical(savedWeights, Weights.bits(fresh.model));

        next.save(file); // the same checkpoint writes fine once the fault is gone
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(file)));
    }

    /** A part whose state cannot be collected fails the save before any byte is written. */
    @Test
    void failureWhileCollectingStateLeavesThePreviousCheckpointIntact() throws IOException {
        Run run = new Run(1);
        run.train(2);
        Path file = dir.resolve("ckpt.safetensors");
        run.checkpoint().save(file);
        byte[] before = Files.readAllBytes(file);

        Stateful broken = new Stateful() {
            @Override
            public StateDict stateDict() {
                throw new IllegalStateException("injected failure while collecting state");
            }

            @Override
            public void loadStateDict(StateDict state) {
            }
        };
        run.train(1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Checkpoint.builder().model(run.model).optimizer(run.optimizer).part("extra", broken).save(file));
        assertEquals("injected failure while collecting state", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName().toString()), listDir());
        assertEquals(3, Checkpoint.load(file).epoch());
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
