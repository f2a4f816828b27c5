package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plain LSTM, composed step by step from Tensor ops with autograd: the reference the fused
 * {@link io.github.lstm4j.autograd.ops.LstmFunction} is held to. It reads the parameters of an
 * {@link LSTM} by their PyTorch names and redoes the layout handling (batch-first, unbatched) on its
 * own, so that a mistake in either the fused node or {@link RNNBase} shows up as a difference.
 *
 * <p>Variable lengths are handled with masks rather than per-sequence time indices: every
 * sequence steps through all {@code T} time indices (forward {@code 0..T-1}, reverse
 * {@code T-1..0}), and at a padded index ({@code t >= len[b]}) its state is carried over unchanged
 * and its output is zero. For the reverse direction this starts each sequence at its own last
 * valid step, as PyTorch does for packed input.
 */
final class LstmReference {

    private LstmReference() {
    }

    /**
     * One LSTM step: {@code {h', c'}} from {@code x (B, in)}, {@code h (B, H_out)}, {@code c (B, H)}.
     * Biases and the projection may be null.
     */
    static Tensor[] step(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, Tensor wHr) {
        Tensor gates = x.matmul(wIh.t()).add(h.matmul(wHh.t()));
        if (bIh != null) {
            gates = gates.add(bIh);
        }
        if (bHh != null) {
            gates = gates.add(bHh);
        }
        List<Tensor> parts = gates.chunk(4, 1);
        Tensor i = parts.get(0).sigmoid();
        Tensor f = parts.get(1).sigmoid();
        Tensor g = parts.get(2).tanh();
        Tensor o = parts.get(3).sigmoid();
        Tensor c1 = f.mul(c).add(i.mul(g));
        Tensor h1 = o.mul(c1.tanh());
        if (wHr != null) {
            h1 = h1.matmul(wHr.t());
        }
        return new Tensor[] {h1, c1};
    }

    /**
     * The module's forward without dropout: input in the module's layout (2-D unbatched or 3-D,
     * batch-first if the module is), states in PyTorch's layout or null.
     *
     * @return {output, h_n, c_n} in PyTorch's layout
     */
    static Tensor[] forward(LSTM m, Tensor input, Tensor h0, Tensor c0) {
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : m.batchFirst() ? input.transpose(0, 1) : input;
        Tensor h = h0 == null ? null : unbatched ? h0.unsqueeze(1) : h0;
        Tensor c = c0 == null ? null : unbatched ? c0.unsqueeze(1) : c0;
        Tensor[] r = forwardTimeMajor(m, x, h, c, null);
        Tensor out = unbatched ? r[0].squeeze(1) : m.batchFirst() ? r[0].transpose(0, 1) : r[0];
        Tensor hN = unbatched ? r[1].squeeze(1) : r[1];
        Tensor cN = unbatched ? r[2].squeeze(1) : r[2];
        return new Tensor[] {out, hN, cN};
    }

    /**
     * Runs every layer and direction over a time-major batch {@code (T, B, in)}.
     *
     * @param lengths per-sequence lengths (any order), or null when all are {@code T}
     * @return {output (T, B, D*H_out) zero past each length, h_n (L*D, B, H_out), c_n (L*D, B, H)}
     */
    static Tensor[] forwardTimeMajor(LSTM m, Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        Map<String, Parameter> p = m.namedParameters();
        int steps = x.size(0);
        int batch = x.size(1);
        int dirs = m.numDirections();
        int hOut = m.outputHiddenSize();
        int hidden = m.hiddenSize();
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < m.numLayers(); layer++) {
            List<Tensor> dirOutputs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor wIh = p.get("weight_ih" + sfx);
                Tensor wHh = p.get("weight_hh" + sfx);
                Tensor bIh = p.get("bias_ih" + sfx);
                Tensor bHh = p.get("bias_hh" + sfx);
                Tensor wHr = p.get("weight_hr" + sfx);
                int idx = layer * dirs + d;
                Tensor h = h0 == null ? Tensor.zeros(batch, hOut) : h0.select(0, idx);
                Tensor c = c0 == null ? Tensor.zeros(batch, hidden) : c0.select(0, idx);
                Tensor[] outs = new Tensor[steps];
                for (int k = 0; k < steps; k++) {
                    int t = d == 0 ? k : steps - 1 - k;
                    Tensor[] r = step(layerInput.select(0, t), h, c, wIh, wHh, bIh, bHh, wHr);
                    if (lengths == null) {
                        h = r[0];
                        c = r[1];
                        outs[t] = r[0];
                    } else {
                        Tensor mask = mask(lengths, t);
                        Tensor keep = mask.rsub(1f);
                        h = r[0].mul(mask).add(h.mul(keep));
                        c = r[1].mul(mask).add(c.mul(keep));
                        outs[t] = r[0].mul(mask);
                    }
                }
                hN.add(h);
                cN.add(c);
                dirOutputs.add(Tensor.stack(List.of(outs), 0));
            }
            layerInput = dirs == 1 ? dirOutputs.get(0) : Tensor.cat(dirOutputs, 2);
        }
        return new Tensor[] {layerInput, Tensor.stack(hN, 0), Tensor.stack(cN, 0)};
    }

    /** {@code (B, 1)}: 1 where step {@code t} exists for the sequence, else 0. */
    private static Tensor mask(int[] lengths, int t) {
        float[] m = new float[lengths.length];
        for (int b = 0; b < lengths.length; b++) {
            m[b] = t < lengths[b] ? 1f : 0f;
        }
        return Tensor.wrap(m, lengths.length, 1);
    }
}
