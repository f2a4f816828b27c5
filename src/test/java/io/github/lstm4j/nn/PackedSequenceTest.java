package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.parity.ParityAssert;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedSequenceTest {

    @Test
    void packKeepsTimeMajorDataAndLengthsAndPadZeroesPastEachLength() {
        Tensor x = Tensor.randn(new Generator(1), 3, 4, 2); // batch-first (B=3, T=4, 2)
        PackedSequence p = PackedSequence.pack(x, new int[] {2, 4, 1}, true);
        assertArrayEquals(new int[] {4, 3, 2}, p.data().shape());
        assertArrayEquals(new int[] {2, 4, 1}, p.lengths());
        assertEquals(3, p.batchSize());
        assertEquals(4, p.maxLength());
        Tensor back = p.pad(true, 6);
        assertArrayEquals(new int[] {3, 6, 2}, back.shape());
        int[] lengths = {2, 4, 1};
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 6; t++) {
                for (int f = 0; f < 2; f++) {
                    float expected = t < lengths[b] ? x.get(b, t, f) : 0f;
                    assertEquals(expected, back.get(b, t, f), 0f, "b=" + b + " t=" + t);
                }
            }
        }
    }

    @Test
    void batchSizesCountTheRunningSequencesAtEachStepLikePyTorch() {
        PackedSequence p = PackedSequence.pack(Tensor.zeros(6, 4, 1), new long[] {6, 2, 4, 1}, false);
        assertArrayEquals(new int[] {4, 3, 2, 2, 1, 1}, p.batchSizes());
    }

    @Test
    void packRejectsLengthsThatDoNotFitTheBatch() {
        Tensor x = Tensor.zeros(5, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PackedSequence.pack(x, new int[] {5, 6, 1}, false));
        assertTrue(e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PackedSequence.pack(x, new int[] {5, 0, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> PackedSequence.pack(x, new int[] {5, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> PackedSequence.pack(Tensor.zeros(5), new int[] {5}, false));
        PackedSequence p = PackedSequence.pack(x, new int[] {5, 3, 1}, false);
        assertThrows(IllegalArgumentException.class, () -> p.pad(false, 4));
    }

    @Test
    void padPassesGradientsOnlyToValidSteps() {
        Tensor x = Tensor.randn(new Generator(2), 4, 2, 3).requiresGrad_(true);
        PackedSequence.pack(x, new int[] {1, 4}, false).pad(false, 4).sum().backward();
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 2; b++) {
                float expected = t < (b == 0 ? 1 : 4) ? 1f : 0f;
                assertEquals(expected, x.grad().get(t, b, 0), 0f);
            }
        }
    }

    /**
     * The strongest check of packing: a packed batch gives, for every sequence, exactly what that
     * sequence gives alone (cut to its own length, batch of one), in both directions and every
     * layer, including the gradient of its input.
     */
    @Test
    void lstmOverAPackedBatchEqualsEachSequenceRunAlone() {
        int[] lengths = {3, 7, 1, 5};
        int batch = lengths.length;
        int steps = 7;
        LSTM m = LSTM.builder(3, 5).numLayers(2).bidirectional(true).projSize(2).batchFirst(true)
            .generator(new Generator(4)).build();
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, batch, steps, 3).requiresGrad_(true);
        Tensor h0 = Tensor.randn(g, 4, batch, 2);
        Tensor c0 = Tensor.randn(g, 4, batch, 5);
        Tensor upstream = Tensor.randn(g, batch, steps, 4);
        LSTM.PackedOutput packed = m.forward(PackedSequence.pack(x, lengths, true), h0, c0);
        Tensor out = packed.output().pad(true, steps);
        out.mul(upstream).sum().backward();
        Tensor dx = x.grad().copy();
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            Tensor xb = x.detach().select(0, b).narrow(0, 0, len).unsqueeze(0).requiresGrad_(true);
            LSTM.Output alone = m.forward(xb, h0.select(1, b).unsqueeze(1), c0.select(1, b).unsqueeze(1));
            String what = "sequence " + b + " (length " + len + ")";
            ParityAssert.assertClose(what + " output", alone.output().squeeze(0),
                out.select(0, b).narrow(0, 0, len), 1e-6, 1e-5);
            ParityAssert.assertClose(what + " h_n", alone.hN().select(1, 0), packed.hN().select(1, b), 1e-6, 1e-5);
            ParityAssert.assertClose(what + " c_n", alone.cN().select(1, 0), packed.cN().select(1, b), 1e-6, 1e-5);
            for (int t = len; t < steps; t++) {
                for (int f = 0; f < 4; f++) {
                    assertEquals(0f, out.get(b, t, f), 0f, what + ": output past the length is zero");
                }
                for (int f = 0; f < 3; f++) {
                    assertEquals(0f, dx.get(b, t, f), 0f, what + ": input past the length gets no gradient");
                }
            }
            alone.output().mul(upstream.select(0, b).narrow(0, 0, len).unsqueeze(0)).sum().backward();
            ParityAssert.assertClose(what + " grad x", xb.grad().squeeze(0), dx.select(0, b).narrow(0, 0, len),
                1e-6, 1e-5);
        }
    }

    @Test
    void paddingValuesNeverReachTheResultsOrTheGradients() {
        int[] lengths = {2, 4, 1};
        LSTM m = LSTM.builder(2, 3).bidirectional(true).generator(new Generator(6)).build();
        Tensor clean = Tensor.randn(new Generator(7), 4, 3, 2);
        Tensor dirty = clean.copy();
        for (int b = 0; b < 3; b++) {
            for (int t = lengths[b]; t < 4; t++) {
                dirty.data()[(t * 3 + b) * 2] = Float.NaN;
                dirty.data()[(t * 3 + b) * 2 + 1] = 1e30f;
            }
        }
        Tensor[] results = new Tensor[2];
        List<Tensor> inputs = List.of(clean, dirty);
        for (int i = 0; i < 2; i++) {
            m.zeroGrad();
            Tensor xi = inputs.get(i).requiresGrad_(true);
            LSTM.PackedOutput o = m.forward(PackedSequence.pack(xi, lengths, false), null, null);
            o.output().pad(false, 4).sum().add(o.hN().sum()).add(o.cN().sum()).backward();
            results[i] = Tensor.cat(List.of(o.output().pad(false, 4).flatten(), o.hN().flatten(), o.cN().flatten(),
                m.namedParameters().get("weight_ih_l0").grad().flatten(),
                m.namedParameters().get("weight_ih_l0_reverse").grad().flatten(), xi.grad().flatten()), 0);
        }
        assertArrayEquals(results[0].data(), results[1].data());
    }
}
