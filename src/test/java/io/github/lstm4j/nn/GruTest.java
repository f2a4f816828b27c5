package io.github.lstm4j.nn;

import static io.github.lstm4j.nn.RnnReference.assertMessage;
import static io.github.lstm4j.nn.RnnReference.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.autograd.ops.GruFunction;
import io.github.lstm4j.nn.RnnReference.Cfg;
import io.github.lstm4j.nn.RnnReference.Run;
import io.github.lstm4j.parity.ParityAssert;
import io.github.lstm4j.tensor.Activations;
import io.github.lstm4j.testing.GradCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused {@link GRU} and {@link GRUCell} held to the composed {@link GruReference} on many
 * shapes, to finite differences on small ones, and to PyTorch's options, names, checks, dropout
 * and serialization.
 */
@SuppressWarnings("try") // no-grad scopes are opened for their effect, not referenced
class GruTest {

    static GRU build(Cfg c) {
        return c.configure(GRU.builder(c.in(), c.hidden())).build();
    }

    /** The fused forward: {output (time-major data for a packed input), h_n}. */
    static Tensor[] fused(GRU m, Cfg c, Tensor x, Tensor h0) {
        if (c.lengths() != null) {
            GRU.PackedOutput o = m.forward(PackedSequence.pack(x, c.lengths(), c.batchFirst()), h0);
            return new Tensor[] {o.output().data(), o.hN()};
        }
        GRU.Output o = m.forward(x, h0);
        return new Tensor[] {o.output(), o.hN()};
    }

    /** The composed forward in the same layout as {@link #fused}. */
    static Tensor[] reference(GRU m, Cfg c, Tensor x, Tensor h0) {
        if (c.lengths() != null) {
            return GruReference.forward(m, c.batchFirst() ? x.transpose(0, 1) : x, h0, c.lengths());
        }
        return GruReference.forward(m, x, h0, null);
    }

    static Stream<Cfg> shapes() {
        return Stream.of(
            Cfg.of("batch 1, length 1, hidden 1, input 1", 1, 1, 1, 1),
            Cfg.of("one layer", 3, 4, 2, 5),
            Cfg.of("odd sizes with a given state", 5, 7, 3, 11).withState(),
            Cfg.of("batch 1 bidirectional, prime hidden 13", 2, 13, 1, 6).twoDirections(),
            Cfg.of("three layers without bias", 7, 3, 5, 4).layers(3).noBias().withState(),
            Cfg.of("batch-first, two layers, bidirectional", 4, 6, 3, 7).layers(2).twoDirections().batchFirstLayout()
                .withState(),
            Cfg.of("unbatched, two layers, bidirectional", 3, 5, 1, 6).layers(2).twoDirections().withoutBatch()
                .withState(),
            Cfg.of("hidden 1 over length 1, two layers", 4, 1, 3, 1).layers(2),
            Cfg.of("hidden 67 wider than a vector block", 17, 67, 2, 3).withState(),
            Cfg.of("input 1 over 40 steps", 1, 9, 2, 40),
            Cfg.of("packed unsorted, two layers, bidirectional", 3, 5, 0, 6).layers(2).twoDirections()
                .packed(3, 6, 1, 4),
            Cfg.of("packed with a given state", 2, 3, 0, 5).withState().packed(5, 2, 2),
            Cfg.of("packed batch-first, bidirectional, no bias", 4, 4, 0, 4).batchFirstLayout().noBias().twoDirections()
                .packed(1, 4, 2),
            Cfg.of("packed batch 1 length 1", 3, 2, 0, 1).packed(1),
            Cfg.of("packed, every sequence shorter than the padding", 2, 3, 0, 5).twoDirections().withState()
                .packed(3, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void fusedGruMatchesTheComposedReferenceInOutputsAndEveryGradient(Cfg c) {
        GRU m = build(c);
        Generator g = new Generator(c.seed() + 1);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        Map<String, Tensor> leaves = RnnReference.leaves(m, x, h0);
        Run expected = RnnReference.run(() -> reference(m, c, x, h0), 7, leaves);
        Run actual = RnnReference.run(() -> fused(m, c, x, h0), 7, leaves);
        RnnReference.assertSameRun(c.name(), expected, actual);
    }

    @Test
    void gradientsAreRightWhenOnlyOneOfTheOutputsIsUsed() {
        Cfg c = Cfg.of("partial use", 3, 4, 2, 5).layers(2).twoDirections().withState();
        GRU m = build(c);
        Generator g = new Generator(3);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        Map<String, Tensor> leaves = RnnReference.leaves(m, x, h0);
        for (boolean[] use : new boolean[][] {{true, false}, {false, true}}) {
            Run expected = RnnReference.run(() -> reference(m, c, x, h0), 11, use, leaves);
            Run actual = RnnReference.run(() -> fused(m, c, x, h0), 11, use, leaves);
            RnnReference.assertSameRun("output used " + use[0] + ", h_n used " + use[1], expected, actual);
        }
    }

    @Test
    void frozenWeightsStillGiveInputAndStateGradients() {
        Cfg c = Cfg.of("frozen", 3, 4, 2, 5).layers(2).withState();
        GRU m = build(c);
        m.parameters().forEach(p -> p.requiresGrad_(false));
        Generator g = new Generator(5);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        Map<String, Tensor> leaves = Map.of("x", x, "h0", h0);
        RnnReference.assertSameRun("frozen weights", RnnReference.run(() -> reference(m, c, x, h0), 2, leaves),
            RnnReference.run(() -> fused(m, c, x, h0), 2, leaves));
    }

    @Test
    void onlyTheTensorsThatRequireGradientsGetThem() {
        GRU m = GRU.builder(3, 4).generator(new Generator(1)).build();
        m.localParameters().get("weight_ih_l0").requiresGrad_(false);
        Tensor x = Tensor.randn(new Generator(2), 5, 2, 3);
        m.forward(x).output().sum().backward();
        assertNull(x.grad(), "x does not require grad");
        assertNull(m.localParameters().get("weight_ih_l0").grad(), "frozen weight_ih_l0");
        for (String name : List.of("weight_hh_l0", "bias_ih_l0", "bias_hh_l0")) {
            assertNotNull(m.localParameters().get(name).grad(), name);
        }
    }

    @Test
    void inferenceUnderNoGradComputesTheSameBitsAndRecordsNothing() {
        Cfg c = Cfg.of("no grad", 3, 5, 2, 6).layers(2).twoDirections().withState();
        GRU m = build(c);
        Generator g = new Generator(4);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        GRU.Output training = m.forward(x, h0);
        GRU.Output inference;
        try (NoGrad ignored = Tensor.noGrad()) {
            inference = m.forward(x, h0);
        }
        assertFalse(inference.output().requiresGrad());
        assertNull(inference.hN().gradFn());
        assertArrayEquals(training.output().data(), inference.output().data());
        assertArrayEquals(training.hN().data(), inference.hN().data());
    }

    @Test
    void eachLayerAndDirectionIsOneFusedNode() {
        GRU m = GRU.builder(3, 4).generator(new Generator(1)).build();
        GRU.Output o = m.forward(Tensor.randn(new Generator(2), 30, 2, 3));
        assertEquals("GruBackward", o.output().gradFn().name(), "30 steps, one node");
        GRUCell cell = new GRUCell(3, 4, true, new Generator(1));
        assertEquals("GruBackward", cell.forward(Tensor.zeros(2, 3)).gradFn().name());
    }

    @Test
    void aWeightChangedInPlaceBeforeBackwardIsReported() {
        GRU m = GRU.builder(2, 3).generator(new Generator(1)).build();
        Tensor x = Tensor.randn(new Generator(2), 4, 1, 2).requiresGrad_(true);
        Tensor loss = m.forward(x).output().sum();
        try (NoGrad ignored = Tensor.noGrad()) {
            m.localParameters().get("weight_hh_l0").mul_(0.5f);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("inplace"), e.getMessage());
    }

    @Test
    void fastTanhAndSigmoidStayWithinOneUlpOfTheExactValues() {
        for (int bits = 0; bits < 0x7f800000; bits += 4099) {
            float x = Float.intBitsToFloat(bits);
            for (float v : new float[] {x, -x}) {
                assertWithinOneUlp((float) Math.tanh(v), Activations.tanh(v), "tanh", v);
                double e = Math.exp(-Math.abs((double) v));
                float sigmoid = (float) (v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
                assertWithinOneUlp(sigmoid, Activations.sigmoid(v), "sigmoid", v);
            }
        }
        assertEquals(1f, Activations.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Activations.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(Activations.tanh(Float.NaN)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Activations.tanh(-0f)));
        assertEquals(0f, Activations.sigmoid(-1e30f));
        assertEquals(1f, Activations.sigmoid(1e30f));
    }

    static void assertWithinOneUlp(float expected, float actual, String what, float x) {
        int ulps = Math.abs(Float.floatToIntBits(expected) - Float.floatToIntBits(actual));
        assertTrue(ulps <= 1, what + "(" + x + ") = " + actual + ", expected " + expected + " (" + ulps + " ulps)");
    }

    // ------------------------------------------------------------------ packed sequences

    @Test
    void packedOutputIsZeroPastEachLengthAndPaddedInputsGetNoGradient() {
        int[] lengths = {2, 5, 3};
        GRU m = GRU.builder(3, 4).bidirectional(true).generator(new Generator(8)).build();
        Tensor x = Tensor.randn(new Generator(9), 5, 3, 3).requiresGrad_(true);
        GRU.PackedOutput o = m.forward(PackedSequence.pack(x, lengths, false));
        Tensor out = o.output().data();
        out.mul(Tensor.randn(new Generator(10), out.shape())).sum().add(o.hN().sum()).backward();
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < 3; b++) {
                for (int j = 0; j < 8; j++) {
                    if (t >= lengths[b]) {
                        assertEquals(0f, out.get(t, b, j), "output past length at " + t + "," + b);
                    }
                }
                for (int j = 0; j < 3; j++) {
                    if (t >= lengths[b]) {
                        assertEquals(0f, x.grad().get(t, b, j), "gradient of padding at " + t + "," + b);
                    } else {
                        assertTrue(x.grad().get(t, b, j) != 0f, "gradient of a real step at " + t + "," + b);
                    }
                }
            }
        }
        assertArrayEquals(o.output().lengths(), lengths);
    }

    @Test
    void eachPackedSequenceMatchesRunningItAlone() {
        int[] lengths = {4, 1, 6, 3};
        GRU m = GRU.builder(2, 3).numLayers(2).bidirectional(true).generator(new Generator(12)).build();
        Tensor x = Tensor.randn(new Generator(13), 6, 4, 2);
        Tensor h0 = Tensor.randn(new Generator(14), 4, 4, 3);
        GRU.PackedOutput packed = m.forward(PackedSequence.pack(x, lengths, false), h0);
        for (int b = 0; b < lengths.length; b++) {
            Tensor xb = x.narrow(1, b, 1).narrow(0, 0, lengths[b]);
            GRU.Output alone = m.forward(xb, h0.narrow(1, b, 1));
            Tensor packedB = packed.output().data().narrow(1, b, 1).narrow(0, 0, lengths[b]);
            ParityAssert.assertClose("sequence " + b + " output", alone.output(), packedB, 1e-6, 1e-5);
            ParityAssert.assertClose("sequence " + b + " h_n", alone.hN(), packed.hN().narrow(1, b, 1), 1e-6, 1e-5);
        }
    }

    // ------------------------------------------------------------------ finite differences

    static Stream<Cfg> smallConfigs() {
        return Stream.of(
            Cfg.of("one layer", 2, 3, 2, 3),
            Cfg.of("two layers", 2, 3, 2, 3).layers(2),
            Cfg.of("bidirectional", 2, 3, 2, 3).twoDirections(),
            Cfg.of("no bias", 2, 3, 2, 3).noBias(),
            Cfg.of("given state, two layers, bidirectional", 2, 2, 2, 3).layers(2).twoDirections().withState(),
            Cfg.of("batch-first", 2, 3, 2, 3).batchFirstLayout().withState(),
            Cfg.of("unbatched", 2, 3, 1, 3).withoutBatch().withState(),
            Cfg.of("packed unsorted, bidirectional, given state", 2, 2, 0, 4).twoDirections().withState()
                .packed(2, 4, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallConfigs")
    void gruGradientsMatchFiniteDifferences(Cfg c) {
        GRU m = build(c);
        Generator g = new Generator(c.seed() + 3);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        List<Tensor> leaves = new ArrayList<>(RnnReference.leaves(m, x, h0).values());
        GradCheck.check("GRU " + c.name(), in -> {
            Tensor[] r = fused(m, c, in[0], c.givenState() ? in[1] : null);
            return Tensor.cat(List.of(r[0].reshape(-1), r[1].reshape(-1)), 0);
        }, leaves.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------ shapes, names, options

    @Test
    void outputShapesFollowPyTorch() {
        GRU bf = GRU.builder(3, 4).numLayers(2).bidirectional(true).batchFirst(true).build();
        GRU.Output o = bf.forward(Tensor.zeros(5, 7, 3));
        assertArrayEquals(new int[] {5, 7, 8}, o.output().shape());
        assertArrayEquals(new int[] {4, 5, 4}, o.hN().shape(), "h_n is never batch-first");
        GRU.Output u = bf.forward(Tensor.zeros(7, 3));
        assertArrayEquals(new int[] {7, 8}, u.output().shape());
        assertArrayEquals(new int[] {4, 4}, u.hN().shape());
    }

    @Test
    void parametersHavePyTorchNamesShapesOrderAndSeededUniformInit() {
        GRU m = GRU.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(21)).build();
        List<String> names = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (String sfx : new String[] {"", "_reverse"}) {
                for (String p : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
                    names.add(p + "_l" + l + sfx);
                }
            }
        }
        Map<String, Tensor> sd = m.stateDict();
        assertEquals(names, new ArrayList<>(sd.keySet()));
        assertArrayEquals(new int[] {12, 3}, sd.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {12, 8}, sd.get("weight_ih_l1_reverse").shape());
        assertArrayEquals(new int[] {12, 4}, sd.get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {12}, sd.get("bias_hh_l0_reverse").shape());
        float bound = 0.5f;
        for (Tensor t : sd.values()) {
            for (float v : t.data()) {
                assertTrue(v >= -bound && v <= bound, "U(-1/sqrt(H), 1/sqrt(H)) value " + v);
            }
        }
        GRU same = GRU.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(21)).build();
        same.stateDict().forEach((k, v) -> assertArrayEquals(sd.get(k).data(), v.data(), k + " from the same seed"));
        assertFalse(GRU.builder(4, 4).bias(false).build().stateDict().containsKey("bias_ih_l0"));
    }

    @Test
    void convenienceConstructorsUsePyTorchDefaults() {
        GRU one = new GRU(3, 4);
        assertEquals(1, one.numLayers());
        assertTrue(one.hasBias());
        assertFalse(one.batchFirst());
        assertFalse(one.bidirectional());
        assertEquals(0f, one.dropout());
        assertEquals(3, new GRU(3, 4, 3).numLayers());
        assertEquals("GRU(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True)",
            GRU.builder(3, 4).numLayers(2).bias(false).batchFirst(true).bidirectional(true).build().toString());
    }

    @Test
    void invalidOptionsAreRejectedNamingTheValue() {
        assertMessage(() -> GRU.builder(3, 0).build(), "hidden_size", "0");
        assertMessage(() -> GRU.builder(-1, 4).build(), "input_size", "-1");
        assertMessage(() -> GRU.builder(3, 4).numLayers(0).build(), "num_layers", "0");
        assertMessage(() -> GRU.builder(3, 4).dropout(1.5).build(), "dropout", "1.5");
    }

    @Test
    void inputsOfWrongRankOrFeatureSizeAreRejectedNamingTheShapes() {
        GRU m = new GRU(3, 4);
        assertMessage(() -> m.forward(Tensor.zeros(3)), "2D or 3D", "[3]");
        assertMessage(() -> m.forward(Tensor.zeros(2, 2, 2, 3)), "2D or 3D", "[2, 2, 2, 3]");
        assertMessage(() -> m.forward(Tensor.zeros(5, 2, 6)), "Expected 3, got 6");
    }

    @Test
    void statesOfWrongShapeAreRejectedNamingExpectedAndActual() {
        GRU m = GRU.builder(3, 4).numLayers(2).build();
        assertMessage(() -> m.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 3, 4)), "[2, 2, 4]", "[2, 3, 4]");
        assertMessage(() -> m.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 4)), "3-D", "[2, 4]");
        assertMessage(() -> m.forward(Tensor.zeros(5, 3), Tensor.zeros(2, 1, 4)), "2-D", "[2, 1, 4]");
        assertMessage(() -> m.forward(Tensor.zeros(5, 3), Tensor.zeros(1, 4)), "[2, 4]", "[1, 4]");
    }

    @Test
    void theFusedOpRejectsMismatchedOperandsNamingTheShapes() {
        Tensor x = Tensor.zeros(4, 2, 3);
        Tensor h = Tensor.zeros(2, 5);
        Tensor wIh = Tensor.zeros(15, 3);
        Tensor wHh = Tensor.zeros(15, 5);
        assertMessage(() -> GruFunction.apply(x, h, Tensor.zeros(12, 3), wHh, null, null, null, false),
            "weight_ih", "[15, 3]", "[12, 3]");
        assertMessage(() -> GruFunction.apply(x, Tensor.zeros(3, 5), wIh, wHh, null, null, null, false),
            "hx", "[2, 5]", "[3, 5]");
        assertMessage(() -> GruFunction.apply(x, h, wIh, wHh, Tensor.zeros(5), null, null, false),
            "bias_ih", "[15]", "[5]");
        assertMessage(() -> GruFunction.apply(x, h, wIh, wHh, null, null, new int[] {4, 5}, false), "5");
        assertMessage(() -> GruFunction.apply(x, h, wIh, wHh, null, null, new int[] {4}, false), "2 lengths");
    }

    // ------------------------------------------------------------------ dropout

    @Test
    void dropoutBetweenLayersActsInTrainingOnlyAndIsReproducibleWithASeed() {
        Tensor x = Tensor.randn(new Generator(30), 6, 3, 4);
        GRU a = GRU.builder(4, 5).numLayers(3).dropout(0.5).generator(new Generator(31)).build();
        GRU b = GRU.builder(4, 5).numLayers(3).dropout(0.5).generator(new Generator(31)).build();
        GRU plain = GRU.builder(4, 5).numLayers(3).generator(new Generator(31)).build();
        Tensor trainA = a.forward(x).output();
        Tensor trainB = b.forward(x).output();
        assertArrayEquals(trainA.data(), trainB.data(), "same seed, same masks");
        Tensor reference = plain.forward(x).output();
        assertFalse(reference.allclose(trainA, 1e-4f, 1e-5f), "training mode drops activations");
        a.eval();
        assertArrayEquals(reference.data(), a.forward(x).output().data(), "evaluation mode: no dropout");
        assertArrayEquals(a.forward(x).output().data(), a.forward(x).output().data(), "evaluation is deterministic");
    }

    @Test
    void dropoutIsNotAppliedAfterTheLastLayer() {
        Tensor x = Tensor.randn(new Generator(32), 6, 3, 4);
        GRU m = GRU.builder(4, 5).dropout(0.9).generator(new Generator(33)).build();
        Tensor train = m.forward(x).output();
        m.eval();
        assertArrayEquals(m.forward(x).output().data(), train.data());
    }

    @Test
    void fullDropoutFeedsZerosToTheNextLayer() {
        Tensor x = Tensor.randn(new Generator(34), 5, 2, 3);
        GRU m = GRU.builder(3, 4).numLayers(2).dropout(1.0).generator(new Generator(35)).build();
        Tensor out = m.forward(x).output();
        GRU secondLayer = GRU.builder(4, 4).generator(new Generator(0)).build();
        Map<String, Tensor> sd = m.stateDict();
        secondLayer.loadStateDict(Map.of("weight_ih_l0", sd.get("weight_ih_l1"), "weight_hh_l0", sd.get("weight_hh_l1"),
            "bias_ih_l0", sd.get("bias_ih_l1"), "bias_hh_l0", sd.get("bias_hh_l1")));
        assertArrayEquals(secondLayer.forward(Tensor.zeros(5, 2, 4)).output().data(), out.data());
    }

    // ------------------------------------------------------------------ serialization

    @Test
    void savedAndLoadedGruRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        GRU m = GRU.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(40)).build();
        Path file = dir.resolve("gru.safetensors");
        m.save(file);
        GRU loaded = GRU.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(41)).build();
        loaded.load(file);
        m.stateDict().forEach((k, v) -> assertArrayEquals(bits(v), bits(loaded.stateDict().get(k)), k));
        Tensor x = Tensor.randn(new Generator(42), 5, 2, 3);
        assertArrayEquals(bits(m.forward(x).output()), bits(loaded.forward(x).output()));
    }

    // ------------------------------------------------------------------ cell

    static Stream<Cfg> cellConfigs() {
        return Stream.of(
            Cfg.of("batched with state", 5, 7, 3, 1).withState(),
            Cfg.of("batched zero state", 4, 6, 2, 1),
            Cfg.of("unbatched with state", 4, 3, 1, 1).withoutBatch().withState(),
            Cfg.of("unbatched zero state", 4, 3, 1, 1).withoutBatch(),
            Cfg.of("no bias, hidden 1, batch 1", 2, 1, 1, 1).noBias().withState(),
            Cfg.of("wide", 19, 41, 5, 1).withState());
    }

    static GRUCell cell(Cfg c) {
        return new GRUCell(c.in(), c.hidden(), c.bias(), new Generator(c.seed()));
    }

    static Tensor cellInput(Cfg c, Generator g) {
        return (c.unbatched() ? Tensor.randn(g, c.in()) : Tensor.randn(g, c.batch(), c.in())).requiresGrad_(true);
    }

    static Tensor cellState(Cfg c, Generator g) {
        if (!c.givenState()) {
            return null;
        }
        return (c.unbatched() ? Tensor.randn(g, c.hidden()) : Tensor.randn(g, c.batch(), c.hidden())).requiresGrad_(true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cellConfigs")
    void gruCellMatchesTheComposedReference(Cfg c) {
        GRUCell cell = cell(c);
        Generator g = new Generator(c.seed() + 1);
        Tensor x = cellInput(c, g);
        Tensor h = cellState(c, g);
        Map<String, Tensor> leaves = RnnReference.leaves(cell, x, h);
        boolean[] use = {true};
        Run expected = RnnReference.run(() -> new Tensor[] {GruReference.cell(cell, x, h)}, 5, use, leaves);
        Run actual = RnnReference.run(() -> new Tensor[] {cell.forward(x, h)}, 5, use, leaves);
        RnnReference.assertSameRun(c.name(), expected, actual);
        assertArrayEquals(c.unbatched() ? new int[] {c.hidden()} : new int[] {c.batch(), c.hidden()},
            actual.outputs()[0].shape());
    }

    static Stream<Cfg> smallCellConfigs() {
        return cellConfigs().filter(c -> c.hidden() <= 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCellConfigs")
    void gruCellGradientsMatchFiniteDifferences(Cfg c) {
        GRUCell cell = cell(c);
        Generator g = new Generator(c.seed() + 2);
        Tensor x = cellInput(c, g);
        Tensor h = cellState(c, g);
        GradCheck.check("GRUCell " + c.name(), in -> cell.forward(in[0], h == null ? null : in[1]),
            RnnReference.leaves(cell, x, h).values().toArray(new Tensor[0]));
    }

    @Test
    void gruCellHasPyTorchParametersAndChecks() {
        GRUCell cell = new GRUCell(3, 4, true, new Generator(50));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), new ArrayList<>(cell.stateDict().keySet()));
        assertArrayEquals(new int[] {12, 3}, cell.weightIh.shape());
        assertArrayEquals(new int[] {12, 4}, cell.weightHh.shape());
        assertNull(new GRUCell(3, 4, false).biasIh);
        assertMessage(() -> cell.forward(Tensor.zeros(2, 2, 3)), "1-D or 2-D", "3-D");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 5)), "got 5", "expected 3");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 4)), "[2, 4]", "[3, 4]");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(2, 5)), "[2, 4]", "[2, 5]");
        assertMessage(() -> cell.forward(Tensor.zeros(3), Tensor.zeros(1, 4)), "[4]", "[1, 4]");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(1, 2, 4)), "1-D or 2-D", "3-D");
        assertMessage(() -> new GRUCell(3, 0), "hidden_size", "0");
    }
}
