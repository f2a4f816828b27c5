package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import io.github.lstm4j.parity.ConfigJson;
import io.github.lstm4j.parity.ParityAssert;
import io.github.lstm4j.testing.GradCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class LstmTest {

    /** Fused and composed runs differ only by float32 summation order. */
    static final double ATOL = 2e-5;
    static final double RTOL = 1e-4;

    // ------------------------------------------------------------------ configurations

    /** One LSTM configuration and its input; fluent setters, printed as its name. */
    static final class Cfg {
        final String name;
        int in = 3;
        int hidden = 4;
        int layers = 1;
        int batch = 2;
        int seq = 3;
        boolean batchFirst;
        boolean bidir;
        int proj;
        boolean bias = true;
        boolean state;
        boolean unbatched;
        int[] lengths;

        Cfg(String name) {
            this.name = name;
        }

        Cfg sizes(int in, int hidden, int batch, int seq) {
            this.in = in;
            this.hidden = hidden;
            this.batch = batch;
            this.seq = seq;
            return this;
        }

        Cfg layers(int n) {
            layers = n;
            return this;
        }

        Cfg batchFirst() {
            batchFirst = true;
            return this;
        }

        Cfg bidir() {
            bidir = true;
            return this;
        }

        Cfg proj(int p) {
            proj = p;
            return this;
        }

        Cfg noBias() {
            bias = false;
            return this;
        }

        Cfg state() {
            state = true;
            return this;
        }

        Cfg unbatched() {
            unbatched = true;
            batch = 1;
            return this;
        }

        Cfg lengths(int... l) {
            lengths = l;
            batch = l.length;
            return this;
        }

        int dirs() {
            return bidir ? 2 : 1;
        }

        int hOut() {
            return proj > 0 ? proj : hidden;
        }

        LSTM build(long seed) {
            return LSTM.builder(in, hidden).numLayers(layers).batchFirst(batchFirst).bidirectional(bidir)
                .projSize(proj).bias(bias).generator(new Generator(seed)).build();
        }

        int[] xShape() {
            return unbatched ? new int[] {seq, in} : batchFirst ? new int[] {batch, seq, in} : new int[] {seq, batch, in};
        }

        int[] stateShape(int size) {
            return unbatched ? new int[] {layers * dirs(), size} : new int[] {layers * dirs(), batch, size};
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Cfg> shapes() {
        return Stream.of(
            new Cfg("batch 1, seq 1, hidden 1").sizes(1, 1, 1, 1),
            new Cfg("PyTorch defaults").sizes(5, 7, 3, 6),
            new Cfg("prime sizes").sizes(7, 11, 5, 13),
            new Cfg("hidden 1, longer sequence").sizes(3, 1, 2, 9),
            new Cfg("input size 1, batch 1").sizes(1, 5, 1, 4),
            new Cfg("2 layers, given state").sizes(4, 6, 3, 5).layers(2).state(),
            new Cfg("3 layers, bidirectional, batch-first, given state").sizes(3, 5, 2, 4).layers(3).bidir()
                .batchFirst().state(),
            new Cfg("projection, 2 layers, batch-first, given state").sizes(4, 8, 3, 5).layers(2).proj(3)
                .batchFirst().state(),
            new Cfg("bidirectional projection, 2 layers").sizes(4, 6, 2, 3).layers(2).bidir().proj(2),
            new Cfg("projection to size 1, hidden 2, batch 1").sizes(2, 2, 1, 3).proj(1),
            new Cfg("no bias, 2 layers").sizes(3, 4, 2, 3).layers(2).noBias(),
            new Cfg("no bias, bidirectional projection, given state").sizes(3, 5, 3, 4).bidir().proj(2).noBias()
                .state(),
            new Cfg("unbatched, 2 layers, given state").sizes(3, 5, 1, 4).layers(2).unbatched().state(),
            new Cfg("unbatched, bidirectional projection").sizes(2, 3, 1, 5).bidir().proj(1).unbatched(),
            new Cfg("wider than a vector block, bidirectional").sizes(19, 37, 17, 4).bidir(),
            new Cfg("seq 1, 2 bidirectional layers").sizes(3, 4, 3, 1).layers(2).bidir().state(),
            new Cfg("packed, unsorted lengths, 2 layers").sizes(3, 5, 4, 6).layers(2).batchFirst().lengths(6, 2, 4, 1),
            new Cfg("packed, bidirectional").sizes(2, 4, 3, 5).bidir().batchFirst().lengths(3, 5, 1),
            new Cfg("packed, bidirectional projection, 2 layers, given state").sizes(3, 6, 5, 7).layers(2).bidir()
                .proj(2).state().lengths(2, 7, 7, 1, 4),
            new Cfg("packed, every length 1").sizes(2, 3, 3, 3).bidir().lengths(1, 1, 1),
            new Cfg("packed, padded past the longest sequence").sizes(2, 3, 2, 5).bidir().lengths(2, 3),
            new Cfg("packed, batch 1, no bias").sizes(3, 2, 1, 4).noBias().bidir().lengths(4));
    }

    // ------------------------------------------------------------------ running both versions

    /** Outputs and the gradients of named leaves for {@code L = sum_k sum(outputs_k * R_k)}. */
    record Run(Tensor[] outputs, Map<String, Tensor> grads) {
    }

    /**
     * Runs {@code forward}, backpropagates {@code L = sum_k sum(out_k * R_k)} with {@code R_k} drawn
     * from a fixed seed (so two runs with equally shaped outputs use the same {@code R}), and takes
     * the gradient of every leaf (null where none arrived), resetting them afterwards.
     */
    static Run backprop(Supplier<Tensor[]> forward, Map<String, Tensor> leaves) {
        for (Tensor t : leaves.values()) {
            t.setGrad(null);
        }
        Tensor[] outs = forward.get();
        Generator g = new Generator(77);
        Tensor loss = null;
        for (Tensor o : outs) {
            Tensor term = o.mul(Tensor.randn(g, o.shape())).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            Tensor grad = e.getValue().grad();
            grads.put(e.getKey(), grad == null ? null : grad.copy());
            e.getValue().setGrad(null);
        }
        Tensor[] detached = new Tensor[outs.length];
        for (int i = 0; i < outs.length; i++) {
            detached[i] = outs[i].copy();
        }
        return new Run(detached, grads);
    }

    /** Compares every output and every gradient of two runs. */
    static void assertSameRun(String what, Run expected, Run actual) {
        assertEquals(expected.outputs().length, actual.outputs().length, what + ": number of outputs");
        String[] names = {"output", "h_n", "c_n"};
        for (int i = 0; i < expected.outputs().length; i++) {
            ParityAssert.assertClose(what + ": " + (i < names.length ? names[i] : "output " + i),
                expected.outputs()[i], actual.outputs()[i], ATOL, RTOL);
        }
        for (Map.Entry<String, Tensor> e : expected.grads().entrySet()) {
            Tensor a = actual.grads().get(e.getKey());
            if (e.getValue() == null) {
                assertNull(a, what + ": grad of " + e.getKey() + " should not exist");
            } else {
                ParityAssert.assertClose(what + ": grad of " + e.getKey(), e.getValue(), a, ATOL, RTOL);
            }
        }
    }

    /** x, h0, c0 (when given) and every parameter, keyed for messages. */
    static Map<String, Tensor> leaves(LSTM m, Tensor x, Tensor h0, Tensor c0) {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        if (h0 != null) {
            leaves.put("h0", h0);
            leaves.put("c0", c0);
        }
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            leaves.put(e.getKey(), e.getValue());
        }
        return leaves;
    }

    /** The fused module's result, packed configurations padded back like {@code pad_packed_sequence}. */
    static Tensor[] fused(LSTM m, Cfg c, Tensor x, Tensor h0, Tensor c0) {
        if (c.lengths == null) {
            LSTM.Output o = m.forward(x, h0, c0);
            return new Tensor[] {o.output(), o.hN(), o.cN()};
        }
        LSTM.PackedOutput o = m.forward(PackedSequence.pack(x, c.lengths, c.batchFirst), h0, c0);
        return new Tensor[] {o.output().pad(c.batchFirst, c.seq), o.hN(), o.cN()};
    }

    /** The composed reference's result for the same configuration. */
    static Tensor[] reference(LSTM m, Cfg c, Tensor x, Tensor h0, Tensor c0) {
        if (c.lengths == null) {
            return LstmReference.forward(m, x, h0, c0);
        }
        Tensor timeMajor = c.batchFirst ? x.transpose(0, 1) : x;
        Tensor[] r = LstmReference.forwardTimeMajor(m, timeMajor, h0, c0, c.lengths);
        return new Tensor[] {c.batchFirst ? r[0].transpose(0, 1) : r[0], r[1], r[2]};
    }

    static Tensor[] inputs(Cfg c, long seed) {
        Generator g = new Generator(seed);
        Tensor x = Tensor.randn(g, c.xShape()).requiresGrad_(true);
        Tensor h0 = c.state ? Tensor.randn(g, c.stateShape(c.hOut())).requiresGrad_(true) : null;
        Tensor c0 = c.state ? Tensor.randn(g, c.stateShape(c.hidden)).requiresGrad_(true) : null;
        return new Tensor[] {x, h0, c0};
    }

    // ------------------------------------------------------------------ fused versus composed

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void fusedLstmMatchesTheComposedReferenceInOutputsAndEveryGradient(Cfg c) {
        LSTM m = c.build(11);
        Tensor[] in = inputs(c, 12);
        Map<String, Tensor> leaves = leaves(m, in[0], in[1], in[2]);
        Run expected = backprop(() -> reference(m, c, in[0], in[1], in[2]), leaves);
        Run actual = backprop(() -> fused(m, c, in[0], in[1], in[2]), leaves);
        assertSameRun(c.name, expected, actual);
        for (Map.Entry<String, Tensor> e : actual.grads().entrySet()) {
            assertNotNull(e.getValue(), c.name + ": every leaf gets a gradient, " + e.getKey() + " did not");
        }
    }

    @Test
    void gradientsAreRightWhenOnlySomeOutputsAreUsed() {
        Cfg c = new Cfg("bidirectional projection, given state").sizes(3, 5, 2, 4).layers(2).bidir().proj(2).state();
        LSTM m = c.build(3);
        Tensor[] in = inputs(c, 4);
        Map<String, Tensor> leaves = leaves(m, in[0], in[1], in[2]);
        for (int used = 0; used < 3; used++) {
            int k = used;
            Run expected = backprop(() -> new Tensor[] {reference(m, c, in[0], in[1], in[2])[k]}, leaves);
            Run actual = backprop(() -> new Tensor[] {fused(m, c, in[0], in[1], in[2])[k]}, leaves);
            assertSameRun("only output " + k + " used", expected, actual);
        }
    }

    @Test
    void frozenWeightsStillGiveInputAndStateGradients() {
        Cfg c = new Cfg("packed bidirectional projection").sizes(3, 5, 3, 4).layers(2).bidir().proj(3).state()
            .lengths(4, 1, 3);
        LSTM m = c.build(5);
        for (Parameter p : m.parameters()) {
            p.requiresGrad_(false);
        }
        Tensor[] in = inputs(c, 6);
        Map<String, Tensor> leaves = leaves(m, in[0], in[1], in[2]);
        Run expected = backprop(() -> reference(m, c, in[0], in[1], in[2]), leaves);
        Run actual = backprop(() -> fused(m, c, in[0], in[1], in[2]), leaves);
        assertSameRun(c.name, expected, actual);
        assertNotNull(actual.grads().get("x"));
        assertNull(actual.grads().get("weight_ih_l0"));
    }

    @Test
    void onlyTheWeightsNeedingGradientsGetThem() {
        Cfg c = new Cfg("projection").sizes(3, 5, 2, 4).proj(2).state();
        LSTM m = c.build(7);
        Map<String, Parameter> p = m.namedParameters();
        p.get("weight_ih_l0").requiresGrad_(false);
        p.get("bias_hh_l0").requiresGrad_(false);
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, c.xShape());
        Tensor h0 = Tensor.randn(g, c.stateShape(2));
        Tensor c0 = Tensor.randn(g, c.stateShape(5));
        Map<String, Tensor> leaves = leaves(m, x, h0, c0);
        Run expected = backprop(() -> reference(m, c, x, h0, c0), leaves);
        Run actual = backprop(() -> fused(m, c, x, h0, c0), leaves);
        assertSameRun(c.name, expected, actual);
        assertNull(actual.grads().get("x"));
        assertNotNull(actual.grads().get("weight_hr_l0"));
        assertNotNull(actual.grads().get("bias_ih_l0"));
    }

    @Test
    void inferenceUnderNoGradComputesTheSameBitsAsTraining() {
        Cfg c = new Cfg("bidirectional projection").sizes(4, 6, 3, 5).layers(2).bidir().proj(3).state();
        LSTM m = c.build(1);
        Tensor[] in = inputs(c, 2);
        Tensor[] withGrad = fused(m, c, in[0], in[1], in[2]);
        Tensor[] noGrad;
        try (NoGrad ignored = Tensor.noGrad()) {
            noGrad = fused(m, c, in[0], in[1], in[2]);
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(withGrad[i].data(), noGrad[i].data(), "output " + i);
            assertFalse(noGrad[i].requiresGrad(), "no graph under noGrad");
        }
    }

    @Test
    void eachLayerAndDirectionIsOneFusedNode() {
        LSTM m = LSTM.builder(3, 4).generator(new Generator(1)).build();
        LSTM.Output o = m.forward(Tensor.randn(new Generator(2), 5, 2, 3).requiresGrad_(true));
        assertEquals("LstmBackward", o.output().gradFn().name());
    }

    // ------------------------------------------------------------------ finite differences

    static Stream<Cfg> gradCheckConfigs() {
        return Stream.of(
            new Cfg("one layer").sizes(2, 3, 2, 3),
            new Cfg("two layers").sizes(2, 3, 2, 3).layers(2),
            new Cfg("bidirectional").sizes(2, 3, 2, 3).bidir(),
            new Cfg("projection").sizes(2, 4, 2, 3).proj(2),
            new Cfg("no bias").sizes(2, 3, 2, 3).noBias(),
            new Cfg("given state").sizes(2, 3, 2, 3).state(),
            new Cfg("packed, bidirectional, given state").sizes(2, 3, 3, 4).bidir().state().lengths(4, 1, 2),
            new Cfg("unbatched, batch-first ignored").sizes(2, 3, 1, 3).batchFirst().unbatched().state(),
            new Cfg("everything: 2 bidirectional projected layers, no bias, packed, state").sizes(2, 4, 2, 3)
                .layers(2).bidir().proj(1).noBias().state().lengths(2, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gradCheckConfigs")
    void gradientsMatchFiniteDifferences(Cfg c) {
        LSTM m = c.build(21);
        Tensor[] in = inputs(c, 22);
        List<Tensor> leaves = new ArrayList<>(leaves(m, in[0], in[1], in[2]).values());
        Function<Tensor[], Tensor> f = t -> {
            Tensor[] r = fused(m, c, t[0], c.state ? t[1] : null, c.state ? t[2] : null);
            return Tensor.cat(List.of(r[0].flatten(), r[1].flatten(), r[2].flatten()), 0);
        };
        GradCheck.check("LSTM " + c.name, f, leaves.toArray(new Tensor[0]));
    }

    // ------------------------------------------------------------------ shapes, parameters, checks

    /**
     * The last layer of a one-direction batch-first LSTM writes its output batch-first itself
     * (no transposed copy); output, final states and every gradient are the bits of the
     * time-major LSTM with the same weights on the transposed input, with and without a
     * projection and an initial state.
     */
    @Test
    void batchFirstOutputIsTheTransposedTimeMajorOneBitForBit() {
        for (int proj : new int[] {0, 3}) {
            LSTM bf = LSTM.builder(2, 5).numLayers(2).projSize(proj).batchFirst(true).generator(new Generator(3)).build();
            LSTM tm = LSTM.builder(2, 5).numLayers(2).projSize(proj).generator(new Generator(4)).build();
            tm.loadStateDict(bf.stateDict());
            int out = proj == 0 ? 5 : proj;
            Tensor x = Tensor.randn(new Generator(5), 4, 6, 2);            // (B, T, in)
            Tensor g = Tensor.randn(new Generator(6), 4, 6, out);          // upstream gradient, (B, T, H_out)
            Tensor h0 = Tensor.randn(new Generator(7), 2, 4, out);
            Tensor c0 = Tensor.randn(new Generator(8), 2, 4, 5);
            Tensor xb = x.cloneTensor().requiresGrad_(true);
            Tensor xt = x.transpose(0, 1).contiguous().requiresGrad_(true);
            LSTM.Output a = bf.forward(xb, h0, c0);
            LSTM.Output b = tm.forward(xt, h0, c0);
            String what = "proj " + proj;
            assertArrayEquals(new int[] {4, 6, out}, a.output().shape(), what);
            assertArrayEquals(b.output().transpose(0, 1).contiguous().data(), a.output().data(), what + ": output");
            assertArrayEquals(b.hN().data(), a.hN().data(), what + ": h_n");
            assertArrayEquals(b.cN().data(), a.cN().data(), what + ": c_n");
            a.output().mul(g).sum().add(a.hN().sum()).backward();
            b.output().mul(g.transpose(0, 1).contiguous()).sum().add(b.hN().sum()).backward();
            assertArrayEquals(xt.grad().transpose(0, 1).contiguous().data(), xb.grad().data(), what + ": dx");
            Map<String, Parameter> pa = bf.namedParameters();
            Map<String, Parameter> pb = tm.namedParameters();
            for (String name : pa.keySet()) {
                assertArrayEquals(pb.get(name).grad().data(), pa.get(name).grad().data(), what + ": d" + name);
            }
        }
    }

    @Test
    void outputShapesFollowPyTorch() {
        LSTM m = LSTM.builder(3, 6).numLayers(2).bidirectional(true).projSize(4).batchFirst(true)
            .generator(new Generator(1)).build();
        LSTM.Output o = m.forward(Tensor.randn(new Generator(2), 5, 7, 3));
        assertArrayEquals(new int[] {5, 7, 8}, o.output().shape());
        assertArrayEquals(new int[] {4, 5, 4}, o.hN().shape());
        assertArrayEquals(new int[] {4, 5, 6}, o.cN().shape());
        LSTM.Output u = m.forward(Tensor.randn(new Generator(2), 7, 3));
        assertArrayEquals(new int[] {7, 8}, u.output().shape());
        assertArrayEquals(new int[] {4, 4}, u.hN().shape());
        assertArrayEquals(new int[] {4, 6}, u.cN().shape());
    }

    @Test
    void parametersHavePyTorchNamesShapesOrderAndSeededUniformInit() {
        LSTM m = LSTM.builder(3, 4).numLayers(2).bidirectional(true).projSize(2).generator(new Generator(5)).build();
        List<String> expectedNames = new ArrayList<>();
        List<int[]> expectedShapes = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            for (String sfx : new String[] {"", "_reverse"}) {
                String s = "_l" + layer + sfx;
                expectedNames.addAll(List.of("weight_ih" + s, "weight_hh" + s, "bias_ih" + s, "bias_hh" + s, "weight_hr" + s));
                expectedShapes.addAll(List.of(new int[] {16, layer == 0 ? 3 : 4}, new int[] {16, 2}, new int[] {16},
                    new int[] {16}, new int[] {2, 4}));
            }
        }
        Map<String, Parameter> p = m.namedParameters();
        assertEquals(expectedNames, new ArrayList<>(p.keySet()));
        int i = 0;
        for (Parameter param : p.values()) {
            assertArrayEquals(expectedShapes.get(i++), param.shape());
            for (float v : param.data()) {
                assertTrue(v >= -0.5f && v <= 0.5f, "U(-1/sqrt(4), 1/sqrt(4)), got " + v);
            }
        }
        LSTM same = LSTM.builder(3, 4).numLayers(2).bidirectional(true).projSize(2).generator(new Generator(5)).build();
        LSTM other = LSTM.builder(3, 4).numLayers(2).bidirectional(true).projSize(2).generator(new Generator(6)).build();
        assertArrayEquals(p.get("weight_hr_l1_reverse").data(), same.namedParameters().get("weight_hr_l1_reverse").data());
        assertFalse(Arrays.equals(p.get("weight_ih_l0").data(), other.namedParameters().get("weight_ih_l0").data()));
    }

    @Test
    void convenienceConstructorsUsePyTorchDefaults() {
        LSTM a = new LSTM(3, 4);
        assertEquals(1, a.numLayers());
        assertTrue(a.hasBias());
        assertFalse(a.batchFirst());
        assertFalse(a.bidirectional());
        assertEquals(0, a.projSize());
        assertEquals(0f, a.dropout());
        LSTM b = new LSTM(3, 4, 3);
        assertEquals(3, b.numLayers());
        assertEquals("LSTM(3, 4, num_layers=3)", b.toString());
    }

    @Test
    void projSizeNotBelowHiddenSizeIsRejectedNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LSTM.builder(3, 4).projSize(4).build());
        assertTrue(e.getMessage().contains("proj_size=4") && e.getMessage().contains("hidden_size=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).projSize(-1).build());
    }

    @Test
    void invalidOptionsAreRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LSTM.builder(3, 0).build());
        assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).numLayers(0).build());
        assertTrue(e.getMessage().contains("num_layers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LSTM.builder(3, 4).dropout(1.5).build());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void inputOfWrongRankIsRejectedNamingItsShape() {
        LSTM m = new LSTM(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("2D or 3D") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.zeros(2, 2, 2, 3)));
        assertTrue(e.getMessage().contains("4D") && e.getMessage().contains("[2, 2, 2, 3]"), e.getMessage());
    }

    @Test
    void inputOfWrongFeatureSizeIsRejectedNamingExpectedAndActual() {
        LSTM m = new LSTM(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(Tensor.zeros(5, 2, 7)));
        assertTrue(e.getMessage().contains("Expected 3, got 7"), e.getMessage());
    }

    @Test
    void statesOfWrongShapeAreRejectedNamingExpectedAndActual() {
        LSTM m = LSTM.builder(3, 4).numLayers(2).projSize(2).build();
        Tensor x = Tensor.zeros(5, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(x, Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("[2, 3, 2]") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(x, Tensor.zeros(2, 3, 2), Tensor.zeros(1, 3, 4)));
        assertTrue(e.getMessage().contains("hidden[1]") && e.getMessage().contains("[2, 3, 4]")
            && e.getMessage().contains("[1, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(x, Tensor.zeros(2, 2), Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("3-D") && e.getMessage().contains("[2, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(Tensor.zeros(5, 3), Tensor.zeros(2, 1, 2), Tensor.zeros(2, 1, 4)));
        assertTrue(e.getMessage().contains("2-D"), e.getMessage());
    }

    @Test
    void givingOnlyOneInitialStateIsRejected() {
        LSTM m = new LSTM(3, 4);
        Tensor x = Tensor.zeros(5, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, Tensor.zeros(1, 2, 4), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> m.forward(x, null, Tensor.zeros(1, 2, 4)));
        assertTrue(e.getMessage().contains("c_0"), e.getMessage());
    }

    @Test
    void dropoutWithOneLayerWarnsButWorks() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RNNBase.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        boolean additive = logger.isAdditive();
        logger.addAppender(appender);
        logger.setAdditive(false);
        LSTM m;
        try {
            m = LSTM.builder(3, 4).dropout(0.5).generator(new Generator(1)).build();
        } finally {
            logger.detachAppender(appender);
            logger.setAdditive(additive);
        }
        assertEquals(1, appender.list.size());
        ILoggingEvent event = appender.list.get(0);
        assertEquals(Level.WARN, event.getLevel());
        assertTrue(event.getFormattedMessage().contains("num_layers"), event.getFormattedMessage());
        // no dropout after the last layer: train and eval agree
        Tensor x = Tensor.randn(new Generator(2), 4, 2, 3);
        Tensor train = m.forward(x).output();
        m.eval();
        assertArrayEquals(train.data(), m.forward(x).output().data());
    }

    // ------------------------------------------------------------------ dropout

    @Test
    void dropoutBetweenLayersActsInTrainingOnlyAndIsReproducibleWithASeed() {
        Tensor x = Tensor.randn(new Generator(3), 6, 4, 5);
        LSTM a = LSTM.builder(5, 8).numLayers(3).dropout(0.5).generator(new Generator(42)).build();
        LSTM b = LSTM.builder(5, 8).numLayers(3).dropout(0.5).generator(new Generator(42)).build();
        LSTM plain = LSTM.builder(5, 8).numLayers(3).generator(new Generator(42)).build();
        Tensor trainA = a.forward(x).output();
        Tensor trainB = b.forward(x).output();
        assertArrayEquals(trainA.data(), trainB.data(), "same seed, same masks");
        Tensor plainOut = plain.forward(x).output();
        assertFalse(Arrays.equals(trainA.data(), plainOut.data()), "dropout changes the training output");
        Tensor trainAgain = a.forward(x).output();
        assertFalse(Arrays.equals(trainA.data(), trainAgain.data()), "each call draws new masks");
        a.eval();
        assertArrayEquals(plainOut.data(), a.forward(x).output().data(), "no dropout in eval mode");
    }

    @Test
    void dropoutMasksTheInputOfTheNextLayer() {
        // with p = 1 every layer above the first sees zeros: its output depends on its biases only
        Tensor x = Tensor.randn(new Generator(3), 4, 2, 3);
        LSTM m = LSTM.builder(3, 5).numLayers(2).dropout(1.0).generator(new Generator(9)).build();
        Tensor out = m.forward(x).output();
        LSTM top = LSTM.builder(5, 5).generator(new Generator(1)).build();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            if (e.getKey().endsWith("_l1")) {
                state.put(e.getKey().replace("_l1", "_l0"), e.getValue());
            }
        }
        top.loadStateDict(state);
        Tensor expected = top.forward(Tensor.zeros(4, 2, 5)).output();
        assertArrayEquals(expected.data(), out.data());
    }

    // ------------------------------------------------------------------ saving and loading

    @Test
    void savedAndLoadedLstmRoundTripsBitForBit(@TempDir Path dir) throws Exception {
        LSTM m = LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).generator(new Generator(1)).build();
        Path file = dir.resolve("lstm.safetensors");
        m.save(file);
        LSTM fresh = LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).generator(new Generator(2)).build();
        fresh.load(file);
        Map<String, Parameter> expected = m.namedParameters();
        for (Map.Entry<String, Parameter> e : fresh.namedParameters().entrySet()) {
            assertArrayEquals(expected.get(e.getKey()).data(), e.getValue().data(), e.getKey());
        }
        Tensor x = Tensor.randn(new Generator(3), 4, 2, 3);
        assertArrayEquals(m.forward(x).output().data(), fresh.forward(x).output().data());
    }

    private static Path resource(String name) throws Exception {
        return Path.of(LstmTest.class.getResource("/pytorch/" + name).toURI());
    }

    @Test
    void pytorchStateDictLoadsByKeyAndReproducesPyTorchsOutput() throws Exception {
        SafetensorsContent expected = Safetensors.read(resource("lstm_state_dict_expected.safetensors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cfg = (Map<String, Object>) ConfigJson.parse(expected.metadata().get("config"));
        LSTM m = LSTM.builder(num(cfg, "input_size"), num(cfg, "hidden_size"))
            .numLayers(num(cfg, "num_layers"))
            .bias((Boolean) cfg.get("bias"))
            .batchFirst((Boolean) cfg.get("batch_first"))
            .bidirectional((Boolean) cfg.get("bidirectional"))
            .projSize(num(cfg, "proj_size"))
            .generator(new Generator(0))
            .build();
        Path stateDict = resource("lstm_state_dict.safetensors");
        assertEquals(new ArrayList<>(Safetensors.read(stateDict).tensors().keySet()), new ArrayList<>(m.stateDict().keySet()),
            "the Java LSTM has exactly PyTorch's state_dict keys, in PyTorch's order");
        m.load(stateDict);
        m.eval();
        LSTM.Output o;
        try (NoGrad ignored = Tensor.noGrad()) {
            o = m.forward(tensor(expected, "x"), tensor(expected, "h0"), tensor(expected, "c0"));
        }
        ParityAssert.assertClose("output", tensor(expected, "output"), o.output(), ParityAssert.OP_ATOL, ParityAssert.OP_RTOL);
        ParityAssert.assertClose("h_n", tensor(expected, "h_n"), o.hN(), ParityAssert.OP_ATOL, ParityAssert.OP_RTOL);
        ParityAssert.assertClose("c_n", tensor(expected, "c_n"), o.cN(), ParityAssert.OP_ATOL, ParityAssert.OP_RTOL);
    }

    @Test
    void aStateDictWithAMissingOrMisshapenKeyIsRejected() throws Exception {
        Path stateDict = resource("lstm_state_dict.safetensors");
        LSTM noProj = LSTM.builder(3, 5).numLayers(2).bidirectional(true).generator(new Generator(0)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noProj.load(stateDict));
        assertTrue(e.getMessage().contains("weight_hr_l0"), e.getMessage());
    }

    private static int num(Map<String, Object> cfg, String key) {
        return ((Number) cfg.get(key)).intValue();
    }

    private static Tensor tensor(SafetensorsContent c, String name) {
        RawTensor r = c.get(name);
        return Tensor.wrap(r.toFloatArray(), r.shape());
    }
}
