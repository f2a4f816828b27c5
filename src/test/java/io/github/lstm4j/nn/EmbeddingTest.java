package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.IndexOps;
import io.github.lstm4j.testing.GradCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding lookups, initialisation, padding, gradients and errors; IndexOps' index_select. */
class EmbeddingTest {

    private static float[] row(Tensor weight, int r) {
        int dim = weight.size(1);
        return Arrays.copyOfRange(weight.data(), r * dim, (r + 1) * dim);
    }

    @Test
    void lookupAppendsTheEmbeddingDimensionToAnyIndexShape() {
        Embedding emb = new Embedding(6, 4, new Generator(1));
        Tensor idx = Tensor.of(new float[] {5, 0, 2, 2, 1, 5}, 2, 3);
        Tensor out = emb.forward(idx);
        assertArrayEquals(new int[] {2, 3, 4}, out.shape());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(row(emb.weight, (int) idx.data()[i]), Arrays.copyOfRange(out.data(), i * 4, i * 4 + 4));
        }
        assertArrayEquals(new int[] {4}, emb.forward(Tensor.scalar(3f)).shape());
        assertArrayEquals(row(emb.weight, 3), emb.forward(Tensor.scalar(3f)).data());
        assertArrayEquals(new int[] {0, 4}, emb.forward(Tensor.zeros(0)).shape());
    }

    @Test
    void weightIsStandardNormalFromTheGeneratorWithPaddingRowZero() {
        Embedding a = new Embedding(200, 50, 7, new Generator(3));
        Embedding b = new Embedding(200, 50, 7, new Generator(3));
        assertArrayEquals(a.weight.data(), b.weight.data());
        assertNotEquals(Arrays.toString(a.weight.data()),
            Arrays.toString(new Embedding(200, 50, 7, new Generator(4)).weight.data()));
        assertArrayEquals(new float[50], row(a.weight, 7));
        double sum = 0;
        double sq = 0;
        for (float v : a.weight.data()) {
            sum += v;
            sq += v * v;
        }
        int n = a.weight.numel() - 50;
        double mean = sum / n;
        double var = sq / n - mean * mean;
        // 9950 N(0, 1) draws: mean within 4 standard errors (0.04), variance within 0.1
        assertEquals(0.0, mean, 0.04);
        assertEquals(1.0, var, 0.1);
        assertArrayEquals(new int[] {200, 50}, a.weight.shape());
        assertEquals(List.of("weight"), List.copyOf(a.stateDict().keySet()));
        assertTrue(a.weight.requiresGrad());
    }

    @Test
    void gradientScatterAddsIntoRowsAndSkipsThePaddingRow() {
        Embedding emb = new Embedding(5, 2, 0, new Generator(2));
        Tensor idx = Tensor.of(new float[] {1, 0, 1, 3, 0}, 5);
        Tensor upstream = Tensor.of(new float[] {1, 2, 10, 20, 100, 200, 1000, 2000, 5, 6}, 5, 2);
        emb.forward(idx).backward(upstream);
        assertArrayEquals(new float[] {
            0, 0,          // padding row 0: nothing, although used twice
            101, 202,      // row 1 used at positions 0 and 2: accumulated
            0, 0,
            1000, 2000,
            0, 0}, emb.weight.grad().data());
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        Generator gen = new Generator(8);
        Tensor idx = Tensor.of(new float[] {2, 0, 2, 4, 1, 2}, 3, 2);
        Embedding plain = new Embedding(5, 3, gen);
        GradCheck.check("Embedding", in -> plain.forward(idx), plain.weight);
        // with padding, every row but the padding one gets exactly the gradient of the unpadded lookup
        Embedding padded = new Embedding(5, 3, 2, gen);
        Tensor upstream = Tensor.randn(gen, 3, 2, 3);
        padded.forward(idx).backward(upstream);
        Embedding reference = Embedding.fromPretrained(padded.weight, false, null);
        reference.forward(idx).backward(upstream);
        for (int r = 0; r < 5; r++) {
            float[] want = r == 2 ? new float[3] : row(reference.weight.grad(), r);
            assertArrayEquals(want, row(padded.weight.grad(), r), "row " + r);
        }
        assertNotEquals(0f, row(reference.weight.grad(), 2)[0], "the padding row is used by idx");
    }

    @Test
    void outOfRangeOrFractionalIndexNamesIndexAndRange() {
        Embedding emb = new Embedding(4, 2, new Generator(0));
        String high = assertThrows(IllegalArgumentException.class,
            () -> emb.forward(Tensor.of(new float[] {0, 1, 4, 2}, 2, 2))).getMessage();
        assertTrue(high.contains("index 4") && high.contains("[0, 4)") && high.contains("[1, 0]"), high);
        String negative = assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(-1f))).getMessage();
        assertTrue(negative.contains("-1") && negative.contains("[0, 4)"), negative);
        String fraction = assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(0.5f))).getMessage();
        assertTrue(fraction.contains("0.5"), fraction);
        assertThrows(IllegalArgumentException.class, () -> emb.forward(Tensor.of(Float.NaN)));
    }

    @Test
    void negativePaddingIndexCountsFromTheEndAndBadOnesAreRejected() {
        Embedding emb = new Embedding(5, 2, -1, new Generator(0));
        assertEquals(4, emb.paddingIdx().getAsInt());
        assertArrayEquals(new float[2], row(emb.weight, 4));
        assertFalse(new Embedding(5, 2, new Generator(0)).paddingIdx().isPresent());
        String msg = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, 5, new Generator(0)))
            .getMessage();
        assertTrue(msg.contains("padding_idx 5"), msg);
        assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2, -6, new Generator(0)));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(-1, 2, new Generator(0)));
    }

    @Test
    void fromPretrainedCopiesTheTableAndFreezesIt() {
        Tensor table = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Embedding frozen = Embedding.fromPretrained(table, true, null);
        assertFalse(frozen.weight.requiresGrad());
        assertArrayEquals(new float[] {5, 6}, frozen.forward(Tensor.of(2f)).data());
        table.data()[0] = 99f;
        assertEquals(1f, frozen.weight.get(0, 0));
        Embedding trainable = Embedding.fromPretrained(table, false, 0);
        assertTrue(trainable.weight.requiresGrad());
        assertArrayEquals(new float[] {99, 2}, row(trainable.weight, 0), "from_pretrained keeps the padding row as given");
        assertThrows(IllegalArgumentException.class, () -> Embedding.fromPretrained(Tensor.zeros(3), true, null));
    }

    @Test
    void indexSelectAlongAnyDimScatterAddsItsGradient() {
        Generator gen = new Generator(9);
        Tensor x = GradCheck.uniform(gen, -1f, 1f, 2, 4, 3);
        int[] index = {3, 0, 3};
        Tensor y = IndexOps.indexSelect(x, 1, index, -1);
        assertArrayEquals(new int[] {2, 3, 3}, y.shape());
        assertEquals(x.get(1, 3, 2), y.get(1, 0, 2));
        assertEquals(x.get(0, 0, 1), y.get(0, 1, 1));
        GradCheck.check("indexSelect dim 1", in -> IndexOps.indexSelect(in[0], 1, index, -1), x);
        GradCheck.check("indexSelect dim -1", in -> IndexOps.indexSelect(in[0], -1, new int[] {2, 2, 1, 0}, -1), x);
        String msg = assertThrows(IllegalArgumentException.class, () -> IndexOps.indexSelect(x, 2, new int[] {3}, -1))
            .getMessage();
        assertTrue(msg.contains("index 3") && msg.contains("size 3"), msg);
    }
}
