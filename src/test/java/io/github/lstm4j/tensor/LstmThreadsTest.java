package io.github.lstm4j.tensor;

import static io.github.lstm4j.tensor.GemmThreadsTest.assertSameBits;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.LSTM;
import io.github.lstm4j.nn.PackedSequence;
import io.github.lstm4j.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An LSTM's output and every gradient are the same bits on one and on two threads, whichever
 * provider the build runs with (the class runs in both of the build's JVMs): the fused layer
 * splits its batch rows between threads, and its products split their blocks, but no value may
 * depend on the split. Every product and every batch is split here, however small.
 */
@Tag("plain-fallback")
@ExtendWith(SplitEverything.class)
class LstmThreadsTest {

    /** {@code "plain"}: full-length sequences; {@code "packed"}: varied lengths, bidirectional, with projection. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "packed", "projected"})
    void lstmForwardAndBackwardGiveTheSameBitsOnOneAndTwoThreads(String kind) {
        List<float[]> one = run(kind, 1);
        List<float[]> two = run(kind, 2);
        for (int i = 0; i < one.size(); i++) {
            assertSameBits(one.get(i), two.get(i), kind + " LSTM, tensor " + i + " (output, then gradients)");
        }
    }

    /** Runs forward and backward; returns the output followed by every gradient. */
    private static List<float[]> run(String kind, int threads) {
        Kernels.setThreads(threads);
        Generator gen = new Generator(5);
        int batch = 13;
        int steps = 9;
        int in = 7;
        int hidden = 37;
        LSTM.Options options = LSTM.builder(in, hidden).numLayers(2).generator(gen);
        if (!kind.equals("plain")) {
            options.bidirectional(true);
        }
        if (kind.equals("projected")) {
            options.projSize(11);
        }
        LSTM lstm = options.build();
        Tensor x = Tensor.randn(gen, steps, batch, in).requiresGrad_(true);
        int dirs = kind.equals("plain") ? 1 : 2;
        int hOut = kind.equals("projected") ? 11 : hidden;
        Tensor h0 = Tensor.randn(gen, 2 * dirs, batch, hOut).requiresGrad_(true);
        Tensor c0 = Tensor.randn(gen, 2 * dirs, batch, hidden).requiresGrad_(true);
        Tensor out;
        Tensor hn;
        Tensor cn;
        if (kind.equals("packed")) {
            int[] lengths = new int[batch];
            for (int b = 0; b < batch; b++) {
                lengths[b] = 1 + (b * 5) % steps;
            }
            LSTM.PackedOutput r = lstm.forward(PackedSequence.pack(x, lengths, false), h0, c0);
            out = r.output().data();
            hn = r.hN();
            cn = r.cN();
        } else {
            LSTM.Output r = lstm.forward(x, h0, c0);
            out = r.output();
            hn = r.hN();
            cn = r.cN();
        }
        Tensor loss = out.mul(Tensor.randn(gen, out.shape())).sum()
            .add(hn.mul(Tensor.randn(gen, hn.shape())).sum())
            .add(cn.mul(Tensor.randn(gen, cn.shape())).sum());
        loss.backward();
        List<float[]> result = new ArrayList<>();
        result.add(out.toFloatArray());
        result.add(x.grad().toFloatArray());
        result.add(h0.grad().toFloatArray());
        result.add(c0.grad().toFloatArray());
        for (Parameter p : lstm.parameters()) {
            result.add(p.grad().toFloatArray());
        }
        return result;
    }
}
