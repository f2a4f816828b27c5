package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.Anomaly;
import io.github.lstm4j.autograd.Anomaly.AnomalyException;
import io.github.lstm4j.autograd.Anomaly.Phase;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.Linear;
import io.github.lstm4j.nn.MSELoss;
import io.github.lstm4j.optim.Adam;
import io.github.lstm4j.optim.Optimizer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anomaly mode, like {@code torch.autograd.set_detect_anomaly}: off by default, per thread, and
 * when on, the first NaN or infinity in a recorded forward result or a backward gradient names
 * the op, the phase, the index, the shape and the flat position.
 */
@SuppressWarnings("try") // scopes are opened for their effect
class AnomalyTest {

    @AfterEach
    void leaveItOff() {
        Anomaly.disable();
    }

    private static Tensor leaf(float... values) {
        return Tensor.of(values).requiresGrad_(true);
    }

    @Test
    void offByDefaultSoNaNFlowsThroughSilentlyAsInPyTorch() {
        assertFalse(Anomaly.isEnabled());
        Tensor y = leaf(1, -1, 2).log();
        assertTrue(Float.isNaN(y.get(1)));
        y.sum().backward();   // no exception either way
    }

    @Test
    void forwardNaNNamesTheOpTheOutputTheShapeAndTheFirstBadPosition() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, -4, 5, -6}, 2, 3).requiresGrad_(true);
        AnomalyException e;
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            e = assertThrows(AnomalyException.class, x::log);
        }
        assertEquals("LogBackward", e.op());
        assertEquals(Phase.FORWARD, e.phase());
        assertEquals(0, e.index());
        assertArrayEquals(new int[] {2, 3}, e.shape());
        assertEquals(3, e.flatIndex(), "log(-4) at [1, 0] is the first NaN, -6 comes later");
        assertTrue(Float.isNaN(e.value()));
        assertEquals("LogBackward: forward produced NaN in output 0 (shape [2, 3]) at flat index 3", e.getMessage());
        assertTrue(e instanceof ArithmeticException, "callers that catch ArithmeticException see it");
    }

    @Test
    void forwardInfinityIsReportedWithItsSign() {
        Tensor x = leaf(1, 0, 2);
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.rdiv(-1f));
            assertEquals(1, e.flatIndex());
            assertEquals(Float.NEGATIVE_INFINITY, e.value());
            assertTrue(e.getMessage().contains("-Infinity"), e.getMessage());
        }
    }

    @Test
    void backwardInfinityNamesTheOpAndTheInputAndCarriesTheForwardTrace() {
        // sqrt(0) = 0 is finite, but its derivative 1 / (2 sqrt(0)) is not
        Tensor x = Tensor.of(new float[] {4, 1, 0, 9}, 2, 2).requiresGrad_(true);
        AnomalyException e;
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            Tensor loss = x.sqrt().sum();
            e = assertThrows(AnomalyException.class, loss::backward);
        }
        assertEquals("SqrtBackward", e.op());
        assertEquals(Phase.BACKWARD, e.phase());
        assertEquals(0, e.index());
        assertArrayEquals(new int[] {2, 2}, e.shape());
        assertEquals(2, e.flatIndex());
        assertEquals(Float.POSITIVE_INFINITY, e.value());
        assertTrue(e.getMessage().startsWith("SqrtBackward: backward returned Infinity in the gradient of input 0 "
            + "(shape [2, 2]) at flat index 2"), e.getMessage());
        Throwable trace = e.getCause();
        assertNotNull(trace, "the forward call that created the node");
        assertTrue(Arrays.stream(trace.getStackTrace())
                .anyMatch(f -> f.getMethodName().equals("backwardInfinityNamesTheOpAndTheInputAndCarriesTheForwardTrace")),
            "the cause's stack trace leads back to the forward call in this test");
    }

    @Test
    void aGraphRecordedBeforeDetectionWasOnIsStillCheckedInBackwardWithoutATrace() {
        Tensor x = leaf(1, 0);
        Tensor loss = x.sqrt().sum();
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, loss::backward);
            assertEquals("SqrtBackward", e.op());
            assertArrayEquals(new int[] {2}, e.shape(), "a leaf input's shape is known anyway");
            assertEquals(1, e.flatIndex());
            assertNull(e.getCause(), "no forward trace was kept while detection was off");
        }
    }

    @Test
    void anOverflowingLayerGradientNamesTheLayersInput() {
        // forward: 0 * 1e30 is finite; backward: dx = 1e10 * 1e30 overflows float
        Linear fc = new Linear(2, 1);
        try (var noGrad = Tensor.noGrad()) {
            fc.weight.fill_(1e30f);
        }
        Tensor x = Tensor.zeros(3, 2).requiresGrad_(true);
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            Tensor loss = fc.forward(x).mul(1e10f).sum();
            AnomalyException e = assertThrows(AnomalyException.class, loss::backward);
            assertEquals("LinearBackward", e.op());
            assertEquals(Phase.BACKWARD, e.phase());
            assertEquals(0, e.index(), "input 0 of linear is x");
            assertArrayEquals(new int[] {3, 2}, e.shape());
            assertEquals(0, e.flatIndex());
        }
    }

    @Test
    void aNaNInTheInputSequenceIsReportedByTheLstmNodeAtItsTimeStep() {
        LSTM lstm = new LSTM(1, 3, 1);
        float[] seq = new float[3 * 2];   // (T=3, B=2, 1)
        seq[1 * 2 + 1] = Float.NaN;       // t = 1, batch entry 1
        Tensor x = Tensor.of(seq, 3, 2, 1);
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> lstm.forward(x));
            assertEquals("LstmBackward", e.op());
            assertEquals(Phase.FORWARD, e.phase());
            assertEquals(0, e.index(), "the output sequence is the LSTM node's output 0");
            assertArrayEquals(new int[] {3, 2, 3}, e.shape());
            assertEquals((1 * 2 + 1) * 3, e.flatIndex(), "first hidden unit of step 1, entry 1");
        }
    }

    @Test
    void opsUnderNoGradAreNotChecked() {
        Tensor x = leaf(-1);
        try (Anomaly.Scope ignored = Anomaly.detect(); var noGrad = Tensor.noGrad()) {
            assertTrue(Float.isNaN(x.log().item()), "no node is recorded, so nothing is checked");
        }
    }

    @Test
    void scopesNestAndRestoreThePreviousSetting() {
        assertFalse(Anomaly.isEnabled());
        try (Anomaly.Scope outer = Anomaly.detect()) {
            assertTrue(Anomaly.isEnabled());
            Anomaly.disable();
            try (Anomaly.Scope inner = Anomaly.detect()) {
                assertTrue(Anomaly.isEnabled());
            }
            assertFalse(Anomaly.isEnabled(), "the inner scope restores the disabled state it found");
            Anomaly.enable();
        }
        assertFalse(Anomaly.isEnabled());
        assertFalse(Anomaly.set(true));
        assertTrue(Anomaly.set(false));
    }

    @Test
    void theSwitchBelongsToTheThreadThatTurnedItOn() throws Exception {
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            boolean seenElsewhere = CompletableFuture.supplyAsync(Anomaly::isEnabled).get();
            assertFalse(seenElsewhere);
            Tensor nanElsewhere = CompletableFuture.supplyAsync(() -> leaf(-1).log()).get();
            assertTrue(Float.isNaN(nanElsewhere.item()), "another thread's ops are not checked");
            assertTrue(Anomaly.isEnabled());
        }
    }

    @Test
    void trainingGivesTheSameBitsWithAnomalyModeOnAndOff() {
        float[] off = trainedWeights();
        float[] on;
        try (Anomaly.Scope ignored = Anomaly.detect()) {
            on = trainedWeights();
        }
        assertArrayEquals(off, on, 0f);
    }

    private static float[] trainedWeights() {
        Generator gen = new Generator(11);
        LSTM lstm = LSTM.builder(2, 4).numLayers(2).generator(gen).build();
        Optimizer opt = new Adam(lstm.parameters(), 0.01);
        Tensor x = Tensor.randn(gen, 5, 3, 2);
        Tensor y = Tensor.randn(gen, 5, 3, 4);
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            new MSELoss().forward(lstm.forward(x).output(), y).backward();
            opt.step();
        }
        return lstm.parameters().get(0).toFloatArray();
    }
}
