package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.parity.ParityAssert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The plain Elman RNN, composed step by step from Tensor ops with autograd: the reference the
 * fused {@link io.github.lstm4j.autograd.ops.RnnFunction} is held to. Its layer loop
 * ({@link #forward(RNNBase, Step, Tensor, Tensor, int[])}) takes any one-step function, so
 * {@link GruReference} reuses it with the GRU step; it reads the parameters by their PyTorch names
 * and redoes the layout handling (batch-first, unbatched) on its own, so that a mistake in either
 * the fused node or {@link RNNBase} shows up as a difference.
 *
 * <p>Variable lengths are handled with masks: every sequence steps through all {@code T} time
 * indices (forward {@code 0..T-1}, reverse {@code T-1..0}); at a padded index
 * ({@code t >= len[b]}) its state is carried over unchanged and its output is zero, which starts
 * the reverse direction at each sequence's own last valid step, as PyTorch does for packed input.
 *
 * <p>Also holds the harness that runs a fused layer and its reference on the same leaves and
 * compares outputs and every gradient ({@link #run}, {@link #assertSameRun}).
 */
final class RnnReference {

    private RnnReference() {
    }

    /** One recurrent step {@code h' = f(x (B, I), h (B, H))}; biases may be null. */
    @FunctionalInterface
    interface Step {
        Tensor apply(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh);
    }

    /** {@code W_ih x + b_ih + W_hh h + b_hh}, the pre-activation of the RNN step. */
    static Tensor preActivation(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        Tensor a = x.matmul(wIh.t()).add(h.matmul(wHh.t()));
        if (bIh != null) {
            a = a.add(bIh);
        }
        if (bHh != null) {
            a = a.add(bHh);
        }
        return a;
    }

    /** The RNN step for {@code "tanh"} or {@code "relu"}. */
    static Step step(String nonlinearity) {
        if (nonlinearity.equals("relu")) {
            return (x, h, wIh, wHh, bIh, bHh) -> preActivation(x, h, wIh, wHh, bIh, bHh).relu();
        }
        return (x, h, wIh, wHh, bIh, bHh) -> preActivation(x, h, wIh, wHh, bIh, bHh).tanh();
    }

    /** {@link RNN}'s forward without dropout: {output, h_n} in PyTorch's layout. */
    static Tensor[] forward(RNN m, Tensor input, Tensor h0, int[] lengths) {
        return forward(m, step(m.nonlinearity()), input, h0, lengths);
    }

    /** {@link RNNCell}'s forward: {@code h'} for batched or unbatched input, zeros for a null state. */
    static Tensor cell(RNNCell c, Tensor input, Tensor hx) {
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor h = hx == null ? Tensor.zeros(x.size(0), c.hiddenSize()) : unbatched ? hx.unsqueeze(0) : hx;
        Tensor h1 = step(c.nonlinearity()).apply(x, h, c.weightIh, c.weightHh, c.biasIh, c.biasHh);
        return unbatched ? h1.squeeze(0) : h1;
    }

    /**
     * A multi-layer, optionally bidirectional recurrence of {@code step} with the module's
     * parameters, without dropout.
     *
     * @param input the module's layout (2-D unbatched, 3-D, batch-first if the module is); with
     *     {@code lengths}, time-major {@code (T, B, in)}
     * @param h0 {@code (L*D, B, H)} or unbatched {@code (L*D, H)}, or null for zeros
     * @param lengths per-sequence lengths (any order) or null
     * @return {output, h_n} in the same layout as the input
     */
    static Tensor[] forward(RNNBase m, Step step, Tensor input, Tensor h0, int[] lengths) {
        boolean unbatched = lengths == null && input.dim() == 2;
        boolean bf = lengths == null && m.batchFirst();
        Tensor x = unbatched ? input.unsqueeze(1) : bf ? input.transpose(0, 1) : input;
        Tensor h = h0 == null ? null : unbatched ? h0.unsqueeze(1) : h0;
        Map<String, Parameter> p = m.namedParameters();
        int steps = x.size(0);
        int batch = x.size(1);
        int dirs = m.numDirections();
        int hidden = m.hiddenSize();
        Tensor layerInput = x;
        List<Tensor> finals = new ArrayList<>();
        for (int layer = 0; layer < m.numLayers(); layer++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor state = h == null ? Tensor.zeros(batch, hidden) : h.select(0, layer * dirs + d);
                Tensor[] perStep = new Tensor[steps];
                for (int s = 0; s < steps; s++) {
                    int t = d == 1 ? steps - 1 - s : s;
                    Tensor next = step.apply(layerInput.select(0, t), state, p.get("weight_ih" + sfx),
                        p.get("weight_hh" + sfx), p.get("bias_ih" + sfx), p.get("bias_hh" + sfx));
                    if (lengths == null) {
                        state = next;
                        perStep[t] = next;
                    } else {
                        Tensor mask = mask(lengths, t);
                        state = next.mul(mask).add(state.mul(mask.rsub(1f)));
                        perStep[t] = next.mul(mask);
                    }
                }
                outs.add(steps == 0 ? Tensor.zeros(0, batch, hidden) : Tensor.stack(Arrays.asList(perStep), 0));
                finals.add(state);
            }
            layerInput = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
        }
        Tensor out = unbatched ? layerInput.squeeze(1) : bf ? layerInput.transpose(0, 1) : layerInput;
        Tensor hN = Tensor.stack(finals, 0);
        return new Tensor[] {out, unbatched ? hN.squeeze(1) : hN};
    }

    /** {@code (B, 1)}: 1 where sequence b has step t, else 0. */
    static Tensor mask(int[] lengths, int t) {
        float[] m = new float[lengths.length];
        for (int b = 0; b < m.length; b++) {
            m[b] = t < lengths[b] ? 1f : 0f;
        }
        return Tensor.wrap(m, m.length, 1);
    }

    // ------------------------------------------------------------------ configurations

    /**
     * One configuration of a recurrent layer and its inputs, named for the test report. Built with
     * {@link #of} and the withers; {@code batch} is ignored when unbatched, {@code lengths} (null
     * or one per sequence) makes the input packed.
     */
    record Cfg(String name, int in, int hidden, int batch, int steps, int layers, boolean batchFirst,
               boolean bidirectional, boolean bias, boolean givenState, boolean unbatched, int[] lengths,
               String nonlinearity) {

        /** One tanh layer with bias, time-major, batched, zero initial state. */
        static Cfg of(String name, int in, int hidden, int batch, int steps) {
            return new Cfg(name, in, hidden, batch, steps, 1, false, false, true, false, false, null, "tanh");
        }

        Cfg layers(int n) {
            return new Cfg(name, in, hidden, batch, steps, n, batchFirst, bidirectional, bias, givenState, unbatched,
                lengths, nonlinearity);
        }

        Cfg batchFirstLayout() {
            return new Cfg(name, in, hidden, batch, steps, layers, true, bidirectional, bias, givenState, unbatched,
                lengths, nonlinearity);
        }

        Cfg twoDirections() {
            return new Cfg(name, in, hidden, batch, steps, layers, batchFirst, true, bias, givenState, unbatched,
                lengths, nonlinearity);
        }

        Cfg noBias() {
            return new Cfg(name, in, hidden, batch, steps, layers, batchFirst, bidirectional, false, givenState,
                unbatched, lengths, nonlinearity);
        }

        Cfg withState() {
            return new Cfg(name, in, hidden, batch, steps, layers, batchFirst, bidirectional, bias, true, unbatched,
                lengths, nonlinearity);
        }

        Cfg withoutBatch() {
            return new Cfg(name, in, hidden, batch, steps, layers, batchFirst, bidirectional, bias, givenState, true,
                lengths, nonlinearity);
        }

        Cfg packed(int... lens) {
            return new Cfg(name, in, hidden, lens.length, steps, layers, batchFirst, bidirectional, bias, givenState,
                unbatched, lens, nonlinearity);
        }

        Cfg relu() {
            return new Cfg(name, in, hidden, batch, steps, layers, batchFirst, bidirectional, bias, givenState,
                unbatched, lengths, "relu");
        }

        int dirs() {
            return bidirectional ? 2 : 1;
        }

        /** Applies the layer options (not the nonlinearity) and a generator seeded from the name. */
        <B extends RNNBase.Options<B>> B configure(B options) {
            return options.numLayers(layers).batchFirst(batchFirst).bidirectional(bidirectional).bias(bias)
                .generator(new Generator(seed()));
        }

        long seed() {
            return name.hashCode();
        }

        /** A leaf input requiring grad: {@code (T, I)} unbatched, else {@code (T, B, I)} or batch-first {@code (B, T, I)}. */
        Tensor input(Generator g) {
            int[] shape = unbatched ? new int[] {steps, in}
                : batchFirst ? new int[] {batch, steps, in} : new int[] {steps, batch, in};
            return Tensor.randn(g, shape).requiresGrad_(true);
        }

        /** A leaf initial state requiring grad, {@code (L*D, [B,] H)}, or null without a given state. */
        Tensor h0(Generator g) {
            if (!givenState) {
                return null;
            }
            int[] shape = unbatched ? new int[] {layers * dirs(), hidden} : new int[] {layers * dirs(), batch, hidden};
            return Tensor.randn(g, shape).mul(0.5f).detach().requiresGrad_(true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    // ------------------------------------------------------------------ harness

    /** The outputs of one forward and the gradient of every named leaf after one backward. */
    record Run(Tensor[] outputs, Map<String, Tensor> grads) {
    }

    /**
     * Runs {@code forward}, backpropagates {@code L = sum_k sum(out_k * R_k)} with fixed random
     * {@code R_k ~ U(-1, 1)} drawn from {@code seed} (outputs whose {@code use} entry is false stay
     * out of the loss) and collects every leaf's gradient (zeros when it got none), resetting the
     * gradients before and after.
     */
    static Run run(Supplier<Tensor[]> forward, long seed, boolean[] use, Map<String, Tensor> leaves) {
        leaves.values().forEach(t -> t.setGrad(null));
        Tensor[] outs = forward.get();
        Generator g = new Generator(seed);
        Tensor loss = null;
        for (int i = 0; i < outs.length; i++) {
            Tensor r = Tensor.uniform(g, -1f, 1f, outs[i].shape());
            if (use[i]) {
                Tensor term = outs[i].mul(r).sum();
                loss = loss == null ? term : loss.add(term);
            }
        }
        loss.backward();
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : leaves.entrySet()) {
            Tensor grad = e.getValue().grad();
            grads.put(e.getKey(), grad == null ? Tensor.zeros(e.getValue().shape()) : grad.copy());
            e.getValue().setGrad(null);
        }
        Tensor[] detached = new Tensor[outs.length];
        for (int i = 0; i < outs.length; i++) {
            detached[i] = outs[i].copy();
        }
        return new Run(detached, grads);
    }

    /** {@link #run} with both outputs in the loss. */
    static Run run(Supplier<Tensor[]> forward, long seed, Map<String, Tensor> leaves) {
        return run(forward, seed, new boolean[] {true, true}, leaves);
    }

    /** The input and state (when given) plus every parameter of {@code m}, by name. */
    static Map<String, Tensor> leaves(Module m, Tensor x, Tensor h0) {
        Map<String, Tensor> leaves = new LinkedHashMap<>();
        leaves.put("x", x);
        if (h0 != null) {
            leaves.put("h0", h0);
        }
        leaves.putAll(m.namedParameters());
        return leaves;
    }

    /** Float32 summation-order tolerance between the fused and composed computations. */
    static final double ATOL = 2e-5;
    /** Relative part of that tolerance. */
    static final double RTOL = 1e-4;

    /** Asserts equal shapes and values within {@link #ATOL} + {@link #RTOL} |expected| for every output and gradient. */
    static void assertSameRun(String what, Run expected, Run actual) {
        for (int i = 0; i < expected.outputs().length; i++) {
            ParityAssert.assertClose(what + ": output " + i, expected.outputs()[i], actual.outputs()[i], ATOL, RTOL);
        }
        for (Map.Entry<String, Tensor> e : expected.grads().entrySet()) {
            ParityAssert.assertClose(what + ": grad " + e.getKey(), e.getValue(), actual.grads().get(e.getKey()),
                ATOL, RTOL);
        }
    }

    /** Asserts that {@code r} throws an IllegalArgumentException whose message contains every part. */
    static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    /** The raw bits of every element, for bit-for-bit comparisons. */
    static int[] bits(Tensor t) {
        float[] d = t.data();
        int[] b = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            b[i] = Float.floatToRawIntBits(d[i]);
        }
        return b;
    }
}
