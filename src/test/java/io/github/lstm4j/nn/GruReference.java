package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/**
 * The plain GRU, composed step by step from Tensor ops with autograd, written from PyTorch's
 * documented equations: the reference the fused {@link io.github.lstm4j.autograd.ops.GruFunction}
 * (and so {@link GRU} and {@link GRUCell}) is held to. The layer loop, layouts and variable
 * lengths are {@link RnnReference}'s.
 */
final class GruReference {

    private GruReference() {
    }

    /**
     * One GRU step from {@code x (B, I)} and {@code h (B, H)}, gate order {@code r, z, n}:
     * <pre>
     *   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
     *   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
     *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
     *   h' = (1 - z) * n + z * h
     * </pre>
     * Biases may be null.
     */
    static Tensor step(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        int hidden = h.size(1);
        Tensor gi = x.matmul(wIh.t());
        Tensor gh = h.matmul(wHh.t());
        if (bIh != null) {
            gi = gi.add(bIh);
        }
        if (bHh != null) {
            gh = gh.add(bHh);
        }
        Tensor r = gi.narrow(1, 0, hidden).add(gh.narrow(1, 0, hidden)).sigmoid();
        Tensor z = gi.narrow(1, hidden, hidden).add(gh.narrow(1, hidden, hidden)).sigmoid();
        Tensor n = gi.narrow(1, 2 * hidden, hidden).add(r.mul(gh.narrow(1, 2 * hidden, hidden))).tanh();
        return z.rsub(1f).mul(n).add(z.mul(h));
    }

    /** {@link GRU}'s forward without dropout: {output, h_n}; see {@link RnnReference#forward(RNNBase, RnnReference.Step, Tensor, Tensor, int[])}. */
    static Tensor[] forward(GRU m, Tensor input, Tensor h0, int[] lengths) {
        return RnnReference.forward(m, GruReference::step, input, h0, lengths);
    }

    /** {@link GRUCell}'s forward: {@code h'} for batched or unbatched input, zeros for a null state. */
    static Tensor cell(GRUCell c, Tensor input, Tensor hx) {
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor h = hx == null ? Tensor.zeros(x.size(0), c.hiddenSize()) : unbatched ? hx.unsqueeze(0) : hx;
        Tensor h1 = step(x, h, c.weightIh, c.weightHh, c.biasIh, c.biasHh);
        return unbatched ? h1.squeeze(0) : h1;
    }
}
