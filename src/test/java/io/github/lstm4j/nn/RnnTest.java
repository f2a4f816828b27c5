package io.github.lstm4j.nn;

import static io.github.lstm4j.nn.RnnReference.assertMessage;
import static io.github.lstm4j.nn.RnnReference.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.autograd.ops.RnnFunction;
import io.github.lstm4j.nn.RnnReference.Cfg;
import io.github.lstm4j.nn.RnnReference.Run;
import io.github.lstm4j.parity.ParityAssert;
import io.github.lstm4j.testing.GradCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused {@link RNN} and {@link RNNCell} (tanh and relu) held to the composed
 * {@link RnnReference} on many shapes, to finite differences on small ones, and to PyTorch's
 * options, names, checks, dropout and serialization.
 */
@SuppressWarnings("try") // no-grad scopes are opened for their effect, not referenced
class RnnTest {

    static RNN build(Cfg c) {
        return c.configure(RNN.builder(c.in(), c.hidden())).nonlinearity(c.nonlinearity()).build();
    }

    /** The fused forward: {output (time-major data for a packed input), h_n}. */
    static Tensor[] fused(RNN m, Cfg c, Tensor x, Tensor h0) {
        if (c.lengths() != null) {
            RNN.PackedOutput o = m.forward(PackedSequence.pack(x, c.lengths(), c.batchFirst()), h0);
            return new Tensor[] {o.output().data(), o.hN()};
        }
        RNN.Output o = m.forward(x, h0);
        return new Tensor[] {o.output(), o.hN()};
    }

    /** The composed forward in the same layout as {@link #fused}, with {@code step} for every layer. */
    static Tensor[] reference(RNN m, Cfg c, Tensor x, Tensor h0, RnnReference.Step step) {
        if (c.lengths() != null) {
            return RnnReference.forward(m, step, c.batchFirst() ? x.transpose(0, 1) : x, h0, c.lengths());
        }
        return RnnReference.forward(m, step, x, h0, null);
    }

    static Tensor[] reference(RNN m, Cfg c, Tensor x, Tensor h0) {
        return reference(m, c, x, h0, RnnReference.step(c.nonlinearity()));
    }

    static Stream<Cfg> shapes() {
        return Stream.of(
            Cfg.of("tanh: batch 1, length 1, hidden 1, input 1", 1, 1, 1, 1),
            Cfg.of("relu: batch 1, length 1, hidden 1, input 1", 1, 1, 1, 1).relu(),
            Cfg.of("tanh: one layer", 3, 4, 2, 5),
            Cfg.of("relu: odd sizes with a given state", 5, 7, 3, 11).withState().relu(),
            Cfg.of("tanh: batch 1 bidirectional, prime hidden 13", 2, 13, 1, 6).twoDirections(),
            Cfg.of("relu: three layers without bias", 7, 3, 5, 4).layers(3).noBias().withState().relu(),
            Cfg.of("tanh: batch-first, two layers, bidirectional", 4, 6, 3, 7).layers(2).twoDirections()
                .batchFirstLayout().withState(),
            Cfg.of("relu: unbatched, two layers, bidirectional", 3, 5, 1, 6).layers(2).twoDirections().withoutBatch()
                .withState().relu(),
            Cfg.of("tanh: hidden 1 over length 1, two layers", 4, 1, 3, 1).layers(2),
            Cfg.of("relu: hidden 67 wider than a vector block", 17, 67, 2, 3).withState().relu(),
            Cfg.of("tanh: input 1 over 40 steps", 1, 9, 2, 40),
            Cfg.of("tanh: packed unsorted, two layers, bidirectional", 3, 5, 0, 6).layers(2).twoDirections()
                .packed(3, 6, 1, 4),
            Cfg.of("relu: packed unsorted, given state, bidirectional", 2, 3, 0, 5).twoDirections().withState()
                .packed(5, 2, 2).relu(),
            Cfg.of("relu: packed batch-first, no bias", 4, 4, 0, 4).batchFirstLayout().noBias().packed(1, 4, 2)
                .relu(),
            Cfg.of("tanh: packed batch 1 length 1", 3, 2, 0, 1).packed(1),
            Cfg.of("tanh: packed, every sequence shorter than the padding", 2, 3, 0, 5).twoDirections().withState()
                .packed(3, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void fusedRnnMatchesTheComposedReferenceInOutputsAndEveryGradient(Cfg c) {
        RNN m = build(c);
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
        RNN m = build(c);
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
        Cfg c = Cfg.of("frozen", 3, 4, 2, 5).layers(2).withState().relu();
        RNN m = build(c);
        m.parameters().forEach(p -> p.requiresGrad_(false));
        Generator g = new Generator(5);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        Map<String, Tensor> leaves = Map.of("x", x, "h0", h0);
        RnnReference.assertSameRun("frozen weights", RnnReference.run(() -> reference(m, c, x, h0), 2, leaves),
            RnnReference.run(() -> fused(m, c, x, h0), 2, leaves));
    }

    @Test
    void inferenceUnderNoGradComputesTheSameBitsAndRecordsNothing() {
        Cfg c = Cfg.of("no grad", 3, 5, 2, 6).layers(2).twoDirections().withState().relu();
        RNN m = build(c);
        Generator g = new Generator(4);
        Tensor x = c.input(g);
        Tensor h0 = c.h0(g);
        RNN.Output training = m.forward(x, h0);
        RNN.Output inference;
        try (NoGrad ignored = Tensor.noGrad()) {
            inference = m.forward(x, h0);
        }
        assertFalse(inference.output().requiresGrad());
        assertArrayEquals(training.output().data(), inference.output().data());
        assertArrayEquals(training.hN().data(), inference.hN().data());
    }

    @Test
    void eachLayerAndDirectionIsOneFusedNode() {
        RNN m = RNN.builder(3, 4).generator(new Generator(1)).build();
        assertEquals("RnnBackward", m.forward(Tensor.randn(new Generator(2), 30, 2, 3)).output().gradFn().name(),
            "30 steps, one node");
        RNNCell cell = new RNNCell(3, 4, true, "relu", new Generator(1));
        assertEquals("RnnBackward", cell.forward(Tensor.zeros(2, 3)).gradFn().name());
    }

    // ------------------------------------------------------------------ packed sequences

    @Test
    void packedOutputIsZeroPastEachLengthAndPaddedInputsGetNoGradient() {
        int[] lengths = {2, 5, 3};
        RNN m = RNN.builder(3, 4).bidirectional(true).generator(new Generator(8)).build();
        Tensor x = Tensor.randn(new Generator(9), 5, 3, 3).requiresGrad_(true);
        RNN.PackedOutput o = m.forward(PackedSequence.pack(x, lengths, false));
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
    }

    @Test
    void finalStatesAreTakenAtEachSequencesLastValidStepInBothDirections() {
        int[] lengths = {3, 1, 4};
        RNN m = RNN.builder(2, 3).bidirectional(true).nonlinearity("relu").generator(new Generator(15)).build();
        Tensor x = Tensor.randn(new Generator(16), 4, 3, 2);
        RNN.PackedOutput o = m.forward(PackedSequence.pack(x, lengths, false));
        for (int b = 0; b < 3; b++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(o.output().data().get(lengths[b] - 1, b, j), o.hN().get(0, b, j), "forward at len-1");
                assertEquals(o.output().data().get(0, b, 3 + j), o.hN().get(1, b, j), "reverse at step 0");
            }
        }
    }

    @Test
    void eachPackedSequenceMatchesRunningItAlone() {
        int[] lengths = {4, 1, 6, 3};
        RNN m = RNN.builder(2, 3).numLayers(2).bidirectional(true).generator(new Generator(12)).build();
        Tensor x = Tensor.randn(new Generator(13), 6, 4, 2);
        Tensor h0 = Tensor.randn(new Generator(14), 4, 4, 3);
        RNN.PackedOutput packed = m.forward(PackedSequence.pack(x, lengths, false), h0);
        for (int b = 0; b < lengths.length; b++) {
            RNN.Output alone = m.forward(x.narrow(1, b, 1).narrow(0, 0, lengths[b]), h0.narrow(1, b, 1));
            Tensor packedB = packed.output().data().narrow(1, b, 1).narrow(0, 0, lengths[b]);
            ParityAssert.assertClose("sequence " + b + " output", alone.output(), packedB, 1e-6, 1e-5);
            ParityAssert.assertClose("sequence " + b + " h_n", alone.hN(), packed.hN().narrow(1, b, 1), 1e-6, 1e-5);
        }
    }

    // ------------------------------------------------------------------ finite differences

    /** Step of the finite differences; with inputs of magnitude up to ~3 it moves a pre-activation by ~0.01. */
    static final double STEP = 3e-3;
    /** How far every relu pre-activation must be from 0 for the finite difference not to cross the kink. */
    static final double KINK_MARGIN = 0.05;

    static Stream<Cfg> smallConfigs() {
        return Stream.of(
            Cfg.of("tanh, one layer", 2, 3, 2, 3),
            Cfg.of("relu, one layer", 2, 3, 2, 3).relu(),
            Cfg.of("tanh, two layers", 2, 3, 2, 3).layers(2),
            Cfg.of("relu, two layers, bidirectional", 2, 2, 2, 3).layers(2).twoDirections().relu(),
            Cfg.of("tanh, no bias", 2, 3, 2, 3).noBias(),
            Cfg.of("relu, no bias, given state", 2, 3, 2, 3).noBias().withState().relu(),
            Cfg.of("tanh, given state, two layers, bidirectional", 2, 2, 2, 3).layers(2).twoDirections().withState(),
            Cfg.of("tanh, batch-first", 2, 3, 2, 3).batchFirstLayout().withState(),
            Cfg.of("relu, unbatched", 2, 3, 1, 3).withoutBatch().withState().relu(),
            Cfg.of("tanh, packed unsorted, bidirectional, given state", 2, 2, 0, 4).twoDirections().withState()
                .packed(2, 4, 1),
            Cfg.of("relu, packed unsorted, given state", 2, 3, 0, 4).withState().packed(4, 1, 3).relu());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallConfigs")
    void rnnGradientsMatchFiniteDifferences(Cfg c) {
        RNN m = build(c);
        Tensor[] xh = kinkFreeInputs(m, c);
        List<Tensor> leaves = new ArrayList<>(RnnReference.leaves(m, xh[0], xh[1]).values());
        GradCheck.withStep(STEP).verify("RNN " + c.name(), in -> {
            Tensor[] r = fused(m, c, in[0], c.givenState() ? in[1] : null);
            return Tensor.cat(List.of(r[0].reshape(-1), r[1].reshape(-1)), 0);
        }, leaves.toArray(new Tensor[0]));
    }

    /** The smallest |pre-activation| of any layer, direction, step and sequence (padding included). */
    static double smallestPreActivation(RNN m, Cfg c, Tensor x, Tensor h0) {
        double[] smallest = {Double.POSITIVE_INFINITY};
        RnnReference.Step step = RnnReference.step(c.nonlinearity());
        RnnReference.Step recording = (xt, h, wIh, wHh, bIh, bHh) -> {
            for (float v : RnnReference.preActivation(xt, h, wIh, wHh, bIh, bHh).data()) {
                smallest[0] = Math.min(smallest[0], Math.abs(v));
            }
            return step.apply(xt, h, wIh, wHh, bIh, bHh);
        };
        try (NoGrad ignored = Tensor.noGrad()) {
            reference(m, c, x, h0, recording);
        }
        return smallest[0];
    }

    /**
     * Draws {x, h0} from successive seeds until, for relu, every pre-activation is at least
     * {@link #KINK_MARGIN} from the kink (tanh takes the first draw): a deterministic choice.
     */
    static Tensor[] kinkFreeInputs(RNN m, Cfg c) {
        for (long seed = c.seed(); seed < c.seed() + 2000; seed++) {
            Generator g = new Generator(seed);
            Tensor x = c.input(g);
            Tensor h0 = c.h0(g);
            if (!c.nonlinearity().equals("relu") || smallestPreActivation(m, c, x, h0) >= KINK_MARGIN) {
                return new Tensor[] {x, h0};
            }
        }
        throw new AssertionError(c.name() + ": no input within 2000 seeds keeps every relu input "
            + KINK_MARGIN + " away from 0");
    }

    // ------------------------------------------------------------------ shapes, names, options

    @Test
    void outputShapesFollowPyTorch() {
        RNN bf = RNN.builder(3, 4).numLayers(2).bidirectional(true).batchFirst(true).build();
        RNN.Output o = bf.forward(Tensor.zeros(5, 7, 3));
        assertArrayEquals(new int[] {5, 7, 8}, o.output().shape());
        assertArrayEquals(new int[] {4, 5, 4}, o.hN().shape(), "h_n is never batch-first");
        RNN.Output u = bf.forward(Tensor.zeros(7, 3));
        assertArrayEquals(new int[] {7, 8}, u.output().shape());
        assertArrayEquals(new int[] {4, 4}, u.hN().shape());
    }

    @Test
    void parametersHavePyTorchNamesShapesOrderAndSeededUniformInit() {
        RNN m = RNN.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(21)).build();
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
        assertArrayEquals(new int[] {4, 3}, sd.get("weight_ih_l0").shape());
        assertArrayEquals(new int[] {4, 8}, sd.get("weight_ih_l1_reverse").shape());
        assertArrayEquals(new int[] {4, 4}, sd.get("weight_hh_l1").shape());
        assertArrayEquals(new int[] {4}, sd.get("bias_hh_l0_reverse").shape());
        for (Tensor t : sd.values()) {
            for (float v : t.data()) {
                assertTrue(v >= -0.5f && v <= 0.5f, "U(-1/sqrt(H), 1/sqrt(H)) value " + v);
            }
        }
        RNN same = RNN.builder(3, 4).numLayers(2).bidirectional(true).generator(new Generator(21)).build();
        same.stateDict().forEach((k, v) -> assertArrayEquals(sd.get(k).data(), v.data(), k + " from the same seed"));
    }

    @Test
    void convenienceConstructorsUsePyTorchDefaults() {
        RNN one = new RNN(3, 4);
        assertEquals("tanh", one.nonlinearity());
        assertEquals(1, one.numLayers());
        assertTrue(one.hasBias());
        assertFalse(one.batchFirst());
        assertFalse(one.bidirectional());
        assertEquals(2, new RNN(3, 4, 2).numLayers());
        assertEquals("relu", RNN.builder(3, 4).nonlinearity("relu").build().nonlinearity());
        assertEquals("RNN(3, 4, num_layers=2)", new RNN(3, 4, 2).toString());
    }

    @Test
    void anUnknownNonlinearityIsRejectedWithPyTorchsMessage() {
        assertMessage(() -> RNN.builder(3, 4).nonlinearity("sigmoid").build(),
            "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.");
        assertMessage(() -> RNN.builder(3, 4).nonlinearity(null).build(), "Unknown nonlinearity 'null'");
        assertMessage(() -> new RNNCell(3, 4, true, "gelu"), "Unknown nonlinearity 'gelu'. Select from 'tanh' or 'relu'.");
    }

    @Test
    void invalidOptionsAndInputsAreRejectedNamingTheValues() {
        assertMessage(() -> RNN.builder(3, 0).build(), "hidden_size", "0");
        assertMessage(() -> RNN.builder(3, 4).numLayers(-2).build(), "num_layers", "-2");
        assertMessage(() -> RNN.builder(3, 4).dropout(-0.1).build(), "dropout", "-0.1");
        RNN m = RNN.builder(3, 4).numLayers(2).build();
        assertMessage(() -> m.forward(Tensor.zeros(3)), "2D or 3D", "[3]");
        assertMessage(() -> m.forward(Tensor.zeros(5, 2, 4)), "Expected 3, got 4");
        assertMessage(() -> m.forward(Tensor.zeros(5, 2, 3), Tensor.zeros(1, 2, 4)), "[2, 2, 4]", "[1, 2, 4]");
        assertMessage(() -> m.forward(PackedSequence.pack(Tensor.zeros(5, 2, 3), new int[] {5, 2}, false),
            Tensor.zeros(2, 3, 4)), "[2, 2, 4]", "[2, 3, 4]");
    }

    @Test
    void theFusedOpRejectsMismatchedOperandsNamingTheShapes() {
        Tensor x = Tensor.zeros(4, 2, 3);
        Tensor h = Tensor.zeros(2, 5);
        Tensor wIh = Tensor.zeros(5, 3);
        Tensor wHh = Tensor.zeros(5, 5);
        assertMessage(() -> RnnFunction.apply(x, h, Tensor.zeros(5, 4), wHh, null, null, false, null, false),
            "weight_ih", "[5, 3]", "[5, 4]");
        assertMessage(() -> RnnFunction.apply(Tensor.zeros(4, 3), h, wIh, wHh, null, null, false, null, false),
            "3-D", "[4, 3]");
        assertMessage(() -> RnnFunction.apply(x, h, wIh, Tensor.zeros(5, 4), null, null, true, null, false),
            "weight_hh", "[4, 4]", "[5, 4]");
        assertMessage(() -> RnnFunction.apply(x, h, wIh, wHh, null, Tensor.zeros(6), true, null, false),
            "bias_hh", "[5]", "[6]");
        assertMessage(() -> RnnFunction.apply(x, h, wIh, wHh, null, null, true, new int[] {-1, 2}, false), "-1");
    }

    // ------------------------------------------------------------------ dropout

    @Test
    void dropoutBetweenLayersActsInTrainingOnlyAndIsReproducibleWithASeed() {
        Tensor x = Tensor.randn(new Generator(30), 6, 3, 4);
        RNN a = RNN.builder(4, 5).numLayers(3).dropout(0.5).nonlinearity("relu").generator(new Generator(31)).build();
        RNN b = RNN.builder(4, 5).numLayers(3).dropout(0.5).nonlinearity("relu").generator(new Generator(31)).build();
        RNN plain = RNN.builder(4, 5).numLayers(3).nonlinearity("relu").generator(new Generator(31)).build();
        Tensor trainA = a.forward(x).output();
        assertArrayEquals(trainA.data(), b.forward(x).output().data(), "same seed, same masks");
        Tensor reference = plain.forward(x).output();
        assertFalse(reference.allclose(trainA, 1e-4f, 1e-5f), "training mode drops activations");
        Tensor trainAgain = a.forward(x).output();
        assertFalse(trainAgain.allclose(trainA, 1e-4f, 1e-5f), "each call draws new masks");
        a.eval();
        assertArrayEquals(reference.data(), a.forward(x).output().data(), "evaluation mode: no dropout");
    }

    @Test
    void fullDropoutFeedsZerosToTheNextLayer() {
        Tensor x = Tensor.randn(new Generator(34), 5, 2, 3);
        RNN m = RNN.builder(3, 4).numLayers(2).dropout(1.0).generator(new Generator(35)).build();
        Tensor out = m.forward(x).output();
        RNN secondLayer = RNN.builder(4, 4).generator(new Generator(0)).build();
        Map<String, Tensor> sd = m.stateDict();
        secondLayer.loadStateDict(Map.of("weight_ih_l0", sd.get("weight_ih_l1"), "weight_hh_l0", sd.get("weight_hh_l1"),
            "bias_ih_l0", sd.get("bias_ih_l1"), "bias_hh_l0", sd.get("bias_hh_l1")));
        assertArrayEquals(secondLayer.forward(Tensor.zeros(5, 2, 4)).output().data(), out.data());
    }

    // ------------------------------------------------------------------ serialization

    @Test
    void savedAndLoadedRnnRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        RNN m = RNN.builder(3, 4).numLayers(2).bidirectional(true).nonlinearity("relu")
            .generator(new Generator(40)).build();
        Path file = dir.resolve("rnn.safetensors");
        m.save(file);
        RNN loaded = RNN.builder(3, 4).numLayers(2).bidirectional(true).nonlinearity("relu")
            .generator(new Generator(41)).build();
        loaded.load(file);
        m.stateDict().forEach((k, v) -> assertArrayEquals(bits(v), bits(loaded.stateDict().get(k)), k));
        Tensor x = Tensor.randn(new Generator(42), 5, 2, 3);
        assertArrayEquals(bits(m.forward(x).output()), bits(loaded.forward(x).output()));

        RNNCell cell = new RNNCell(3, 4, true, "tanh", new Generator(43));
        Path cellFile = dir.resolve("cell.safetensors");
        cell.save(cellFile);
        RNNCell cellLoaded = new RNNCell(3, 4, true, "tanh", new Generator(44));
        cellLoaded.load(cellFile);
        cell.stateDict().forEach((k, v) -> assertArrayEquals(bits(v), bits(cellLoaded.stateDict().get(k)), k));
    }

    // ------------------------------------------------------------------ cell

    static Stream<Cfg> cellConfigs() {
        return Stream.of(
            Cfg.of("tanh, batched with state", 5, 6, 3, 1).withState(),
            Cfg.of("relu, batched with state", 5, 6, 3, 1).withState().relu(),
            Cfg.of("tanh, batched zero state", 4, 6, 2, 1),
            Cfg.of("relu, unbatched with state", 4, 3, 1, 1).withoutBatch().withState().relu(),
            Cfg.of("tanh, unbatched zero state", 4, 3, 1, 1).withoutBatch(),
            Cfg.of("relu, no bias, hidden 1, batch 1", 2, 1, 1, 1).noBias().withState().relu(),
            Cfg.of("tanh, wide", 19, 41, 5, 1).withState());
    }

    static RNNCell cell(Cfg c) {
        return new RNNCell(c.in(), c.hidden(), c.bias(), c.nonlinearity(), new Generator(c.seed()));
    }

    static Tensor[] cellInputs(Cfg c, Generator g) {
        Tensor x = (c.unbatched() ? Tensor.randn(g, c.in()) : Tensor.randn(g, c.batch(), c.in())).requiresGrad_(true);
        Tensor h = !c.givenState() ? null
            : (c.unbatched() ? Tensor.randn(g, c.hidden()) : Tensor.randn(g, c.batch(), c.hidden())).requiresGrad_(true);
        return new Tensor[] {x, h};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cellConfigs")
    void rnnCellMatchesTheComposedReference(Cfg c) {
        RNNCell cell = cell(c);
        Tensor[] xh = cellInputs(c, new Generator(c.seed() + 1));
        Map<String, Tensor> leaves = RnnReference.leaves(cell, xh[0], xh[1]);
        boolean[] use = {true};
        Run expected = RnnReference.run(() -> new Tensor[] {RnnReference.cell(cell, xh[0], xh[1])}, 5, use, leaves);
        Run actual = RnnReference.run(() -> new Tensor[] {cell.forward(xh[0], xh[1])}, 5, use, leaves);
        RnnReference.assertSameRun(c.name(), expected, actual);
        assertArrayEquals(c.unbatched() ? new int[] {c.hidden()} : new int[] {c.batch(), c.hidden()},
            actual.outputs()[0].shape());
    }

    static Stream<Cfg> smallCellConfigs() {
        return cellConfigs().filter(c -> c.hidden() <= 10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCellConfigs")
    void rnnCellGradientsMatchFiniteDifferences(Cfg c) {
        RNNCell cell = cell(c);
        Function<Tensor[], Tensor> f = in -> cell.forward(in[0], c.givenState() ? in[1] : null);
        Tensor[] xh = null;
        for (long seed = c.seed(); xh == null; seed++) {
            Tensor[] candidate = cellInputs(c, new Generator(seed));
            Tensor h = candidate[1] == null ? Tensor.zeros(c.unbatched() ? new int[] {c.hidden()}
                : new int[] {c.batch(), c.hidden()}) : candidate[1];
            Tensor a = RnnReference.preActivation(candidate[0].reshape(-1, c.in()).detach(),
                h.reshape(-1, c.hidden()).detach(), cell.weightIh.detach(), cell.weightHh.detach(),
                cell.biasIh == null ? null : cell.biasIh.detach(), cell.biasHh == null ? null : cell.biasHh.detach());
            boolean kinkFree = true;
            for (float v : a.data()) {
                kinkFree &= Math.abs(v) >= KINK_MARGIN;
            }
            if (kinkFree || c.nonlinearity().equals("tanh")) {
                xh = candidate;
            }
        }
        Tensor[] leaves = RnnReference.leaves(cell, xh[0], xh[1]).values().toArray(new Tensor[0]);
        GradCheck.withStep(STEP).verify("RNNCell " + c.name(), f, leaves);
    }

    @Test
    void rnnCellHasPyTorchParametersAndChecks() {
        RNNCell cell = new RNNCell(3, 4, true, "relu", new Generator(50));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), new ArrayList<>(cell.stateDict().keySet()));
        assertArrayEquals(new int[] {4, 3}, cell.weightIh.shape());
        assertArrayEquals(new int[] {4, 4}, cell.weightHh.shape());
        assertEquals("relu", cell.nonlinearity());
        assertEquals("tanh", new RNNCell(3, 4).nonlinearity());
        assertNull(new RNNCell(3, 4, false, "tanh").biasHh);
        assertEquals("RNNCell(3, 4, bias=False, nonlinearity=relu)", new RNNCell(3, 4, false, "relu").toString());
        assertMessage(() -> cell.forward(Tensor.zeros(2, 2, 3)), "1-D or 2-D", "3-D");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 5)), "got 5", "expected 3");
        assertMessage(() -> cell.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 4)), "[2, 4]", "[3, 4]");
        assertMessage(() -> cell.forward(Tensor.zeros(3), Tensor.zeros(1, 4)), "[4]", "[1, 4]");
        assertMessage(() -> new RNNCell(-1, 4), "input_size", "-1");
    }
}
