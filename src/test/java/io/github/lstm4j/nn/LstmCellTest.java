package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.testing.GradCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LstmCellTest {

    static Stream<Arguments> shapes() {
        // input size, hidden size, batch (0 = unbatched), bias, given state
        return Stream.of(
            Arguments.of(1, 1, 1, true, true),
            Arguments.of(6, 8, 3, true, true),
            Arguments.of(4, 5, 2, true, false),
            Arguments.of(3, 4, 0, true, true),
            Arguments.of(3, 4, 0, false, false),
            Arguments.of(7, 13, 5, false, true),
            Arguments.of(23, 37, 17, true, true));
    }

    private static Map<String, Tensor> leaves(LSTMCell cell, Tensor x, Tensor h, Tensor c) {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        if (h != null) {
            leaves.put("h0", h);
            leaves.put("c0", c);
        }
        leaves.putAll(cell.namedParameters());
        return leaves;
    }

    private static Tensor[] reference(LSTMCell cell, Tensor x, Tensor h, Tensor c) {
        boolean unbatched = x.dim() == 1;
        Tensor x2 = unbatched ? x.unsqueeze(0) : x;
        int batch = x2.size(0);
        Tensor h2 = h == null ? Tensor.zeros(batch, cell.hiddenSize()) : unbatched ? h.unsqueeze(0) : h;
        Tensor c2 = c == null ? Tensor.zeros(batch, cell.hiddenSize()) : unbatched ? c.unsqueeze(0) : c;
        Tensor[] r = LstmReference.step(x2, h2, c2, cell.weightIh, cell.weightHh, cell.biasIh, cell.biasHh, null);
        return unbatched ? new Tensor[] {r[0].squeeze(0), r[1].squeeze(0)} : r;
    }

    @ParameterizedTest(name = "input {0}, hidden {1}, batch {2}, bias {3}, state {4}")
    @MethodSource("shapes")
    void cellMatchesTheComposedReferenceInOutputsAndEveryGradient(int in, int hidden, int batch, boolean bias,
                                                                  boolean state) {
        LSTMCell cell = new LSTMCell(in, hidden, bias, new Generator(1));
        Generator g = new Generator(2);
        Tensor x = Tensor.randn(g, batch == 0 ? new int[] {in} : new int[] {batch, in}).requiresGrad_(true);
        int[] hs = batch == 0 ? new int[] {hidden} : new int[] {batch, hidden};
        Tensor h = state ? Tensor.randn(g, hs).requiresGrad_(true) : null;
        Tensor c = state ? Tensor.randn(g, hs).requiresGrad_(true) : null;
        Map<String, Tensor> leaves = leaves(cell, x, h, c);
        LstmTest.Run expected = LstmTest.backprop(() -> reference(cell, x, h, c), leaves);
        LstmTest.Run actual = LstmTest.backprop(() -> {
            LSTMCell.Output o = cell.forward(x, h, c);
            return new Tensor[] {o.h1(), o.c1()};
        }, leaves);
        LstmTest.assertSameRun("LSTMCell", expected, actual);
        assertArrayEquals(hs, actual.outputs()[0].shape());
        assertArrayEquals(hs, actual.outputs()[1].shape());
    }

    @Test
    void missingStateMeansZeros() {
        LSTMCell cell = new LSTMCell(3, 4, true, new Generator(1));
        Tensor x = Tensor.randn(new Generator(2), 2, 3);
        LSTMCell.Output none = cell.forward(x);
        LSTMCell.Output zeros = cell.forward(x, Tensor.zeros(2, 4), Tensor.zeros(2, 4));
        assertArrayEquals(zeros.h1().data(), none.h1().data());
        assertArrayEquals(zeros.c1().data(), none.c1().data());
    }

    @Test
    void cellIsOneStepOfAnLstmWithTheSameWeights() {
        LSTMCell cell = new LSTMCell(3, 4, true, new Generator(1));
        LSTM lstm = LSTM.builder(3, 4).generator(new Generator(9)).build();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : cell.stateDict().entrySet()) {
            state.put(e.getKey() + "_l0", e.getValue());
        }
        lstm.loadStateDict(state);
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 2, 3);
        Tensor h = Tensor.randn(g, 2, 4);
        Tensor c = Tensor.randn(g, 2, 4);
        LSTMCell.Output step = cell.forward(x, h, c);
        LSTM.Output seq = lstm.forward(x.unsqueeze(0), h.unsqueeze(0), c.unsqueeze(0));
        assertArrayEquals(seq.hN().data(), step.h1().data());
        assertArrayEquals(seq.cN().data(), step.c1().data());
    }

    @Test
    void gradientsMatchFiniteDifferencesBatchedUnbatchedAndWithoutBias() {
        for (boolean bias : new boolean[] {true, false}) {
            for (int batch : new int[] {0, 3}) {
                LSTMCell cell = new LSTMCell(3, 2, bias, new Generator(4));
                Generator g = new Generator(5);
                int[] hs = batch == 0 ? new int[] {2} : new int[] {batch, 2};
                Tensor x = Tensor.randn(g, batch == 0 ? new int[] {3} : new int[] {batch, 3}).requiresGrad_(true);
                Tensor h = Tensor.randn(g, hs).requiresGrad_(true);
                Tensor c = Tensor.randn(g, hs).requiresGrad_(true);
                List<Tensor> inputs = new ArrayList<>(List.of(x, h, c));
                inputs.addAll(cell.parameters());
                GradCheck.check("LSTMCell bias=" + bias + " batch=" + batch, t -> {
                    LSTMCell.Output o = cell.forward(t[0], t[1], t[2]);
                    return Tensor.cat(List.of(o.h1().flatten(), o.c1().flatten()), 0);
                }, inputs.toArray(new Tensor[0]));
            }
        }
    }

    @Test
    void parametersHavePyTorchNamesShapesAndSeededUniformInit() {
        LSTMCell cell = new LSTMCell(3, 16, true, new Generator(7));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), new ArrayList<>(cell.namedParameters().keySet()));
        assertArrayEquals(new int[] {64, 3}, cell.weightIh.shape());
        assertArrayEquals(new int[] {64, 16}, cell.weightHh.shape());
        assertArrayEquals(new int[] {64}, cell.biasIh.shape());
        assertArrayEquals(new int[] {64}, cell.biasHh.shape());
        for (Parameter p : cell.parameters()) {
            for (float v : p.data()) {
                assertTrue(v >= -0.25f && v <= 0.25f, "U(-1/4, 1/4), got " + v);
            }
        }
        LSTMCell same = new LSTMCell(3, 16, true, new Generator(7));
        assertArrayEquals(cell.biasHh.data(), same.biasHh.data());
        LSTMCell noBias = new LSTMCell(3, 16, false, new Generator(7));
        assertEquals(List.of("weight_ih", "weight_hh"), new ArrayList<>(noBias.namedParameters().keySet()));
        assertNull(noBias.biasIh);
        assertFalse(Arrays.equals(cell.weightIh.data(), new LSTMCell(3, 16, true, new Generator(8)).weightIh.data()));
    }

    @Test
    void inputOfWrongRankIsRejectedLikePyTorch() {
        LSTMCell cell = new LSTMCell(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> cell.forward(Tensor.zeros(5, 2, 3)));
        assertTrue(e.getMessage().startsWith("LSTMCell: Expected input to be 1D or 2D, got 3D input instead"),
            e.getMessage());
    }

    @Test
    void inputOfWrongSizeIsRejectedNamingExpectedAndActual() {
        LSTMCell cell = new LSTMCell(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> cell.forward(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("got 5, expected 3"), e.getMessage());
    }

    @Test
    void statesOfWrongShapeAreRejectedNamingExpectedAndActual() {
        LSTMCell cell = new LSTMCell(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 5), Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("hx[0]") && e.getMessage().contains("[2, 4]")
            && e.getMessage().contains("[2, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 4), Tensor.zeros(3, 4)));
        assertTrue(e.getMessage().contains("hx[1]") && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> cell.forward(Tensor.zeros(3), Tensor.zeros(1, 4), Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[1, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 4), null));
    }

    @Test
    void invalidSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LSTMCell(3, 0));
        assertThrows(IllegalArgumentException.class, () -> new LSTMCell(-1, 4));
    }
}
