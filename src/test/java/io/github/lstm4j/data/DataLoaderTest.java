package io.github.lstm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** TensorDataset and DataLoader: coverage, order, shuffling, dropLast, stacking and resuming. */
class DataLoaderTest {

    /** n samples: x row i is (i, 10 i), y row i is (-i). */
    private static TensorDataset numbered(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = -i;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y, n, 1));
    }

    /** The sample ids of one epoch, batch by batch, after checking x and y rows agree. */
    private static List<int[]> epoch(DataLoader loader) {
        List<int[]> out = new ArrayList<>();
        for (Tensor[] batch : loader) {
            int b = batch[0].size(0);
            assertArrayEquals(new int[] {b, 2}, batch[0].shape());
            assertArrayEquals(new int[] {b, 1}, batch[1].shape());
            int[] ids = new int[b];
            for (int i = 0; i < b; i++) {
                ids[i] = (int) batch[0].get(i, 0);
                assertEquals(10f * ids[i], batch[0].get(i, 1));
                assertEquals(-ids[i], batch[1].get(i, 0));
            }
            out.add(ids);
        }
        return out;
    }

    private static int[] flatten(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void tensorDatasetReturnsTheRowsOfEveryTensor() {
        TensorDataset ds = numbered(5);
        assertEquals(5, ds.size());
        Tensor[] s = ds.get(3);
        assertArrayEquals(new float[] {3, 30}, s[0].data());
        assertArrayEquals(new float[] {-3}, s[1].data());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(5));
        String msg = assertThrows(IllegalArgumentException.class,
            () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3))).getMessage();
        assertTrue(msg.contains("[4, 2]") && msg.contains("[3]"), msg);
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1f)));
        assertArrayEquals(new float[] {2, 20, 3, 30}, ds.range(2, 4).tensor(0).data());
    }

    @Test
    void withoutShuffleBatchesComeInOrderWithASmallerLastBatch() {
        DataLoader loader = new DataLoader(numbered(10), 4);
        assertEquals(3, loader.len());
        List<int[]> batches = epoch(loader);
        assertEquals(3, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
        assertArrayEquals(new int[] {8, 9}, batches.get(2));
    }

    @Test
    void dropLastSkipsTheIncompleteBatch() {
        DataLoader loader = DataLoader.builder(numbered(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.len());
        List<int[]> batches = epoch(loader);
        assertEquals(2, batches.size());
        for (int[] b : batches) {
            assertEquals(4, b.length);
        }
        DataLoader exact = DataLoader.builder(numbered(8)).batchSize(4).dropLast(true).build();
        assertEquals(2, exact.len());
        assertEquals(2, epoch(exact).size());
        assertEquals(0, DataLoader.builder(numbered(3)).batchSize(4).dropLast(true).build().len());
        assertEquals(1, new DataLoader(numbered(3), 4).len());
    }

    @Test
    void shuffledEpochsCoverEveryIndexOnceAndDifferFromEachOther() {
        DataLoader loader = DataLoader.builder(numbered(23)).batchSize(5).shuffle(new Generator(7)).build();
        assertEquals(5, loader.len());
        int[] first = flatten(epoch(loader));
        int[] second = flatten(epoch(loader));
        for (int[] order : List.of(first, second)) {
            int[] sorted = order.clone();
            Arrays.sort(sorted);
            int[] all = new int[23];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted, "every index exactly once per epoch");
        }
        assertFalse(Arrays.equals(first, second), "a new permutation each epoch");
        int[] identity = new int[23];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(first, identity), "shuffled");
    }

    @Test
    void sameSeedGivesTheSameSequenceOfEpochs() {
        DataLoader a = DataLoader.builder(numbered(17)).batchSize(4).shuffle(new Generator(99)).build();
        DataLoader b = DataLoader.builder(numbered(17)).batchSize(4).shuffle(new Generator(99)).build();
        DataLoader c = DataLoader.builder(numbered(17)).batchSize(4).shuffle(new Generator(100)).build();
        for (int e = 0; e < 3; e++) {
            int[] ea = flatten(epoch(a));
            assertArrayEquals(ea, flatten(epoch(b)), "epoch " + e);
            assertFalse(Arrays.equals(ea, flatten(epoch(c))), "epoch " + e + " with another seed");
        }
    }

    @Test
    void restoringTheGeneratorStateResumesTheEpochSequenceExactly() {
        DataLoader uninterrupted = DataLoader.builder(numbered(12)).batchSize(5).shuffle(new Generator(4)).build();
        DataLoader first = DataLoader.builder(numbered(12)).batchSize(5).shuffle(new Generator(4)).build();
        List<int[]> expected = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            expected.add(flatten(epoch(uninterrupted)));
        }
        epoch(first);
        epoch(first);
        long[] saved = first.generatorState();
        DataLoader resumed = DataLoader.builder(numbered(12)).batchSize(5).shuffle(new Generator(12345)).build();
        resumed.setGeneratorState(saved);
        assertArrayEquals(expected.get(2), flatten(epoch(resumed)));
        assertArrayEquals(expected.get(3), flatten(epoch(resumed)));
    }

    @Test
    void anyDatasetIsStackedAndUnequalSamplesAreNamed() {
        Dataset<Tensor[]> squares = new Dataset<>() {
            @Override
            public int size() {
                return 5;
            }

            @Override
            public Tensor[] get(int i) {
                return new Tensor[] {Tensor.full(i, 2, 2), Tensor.scalar(i * i)};
            }
        };
        Iterator<Tensor[]> it = new DataLoader(squares, 3).iterator();
        Tensor[] b = it.next();
        assertArrayEquals(new int[] {3, 2, 2}, b[0].shape());
        assertArrayEquals(new int[] {3}, b[1].shape());
        assertArrayEquals(new float[] {0, 1, 4}, b[1].data());
        assertEquals(2f, b[0].get(2, 1, 1));
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);

        Dataset<Tensor[]> ragged = new Dataset<>() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public Tensor[] get(int i) {
                return new Tensor[] {Tensor.zeros(i + 1)};
            }
        };
        String msg = assertThrows(IllegalArgumentException.class, () -> new DataLoader(ragged, 2).iterator().next())
            .getMessage();
        assertTrue(msg.contains("sample 1") && msg.contains("[2]") && msg.contains("[1]"), msg);
    }

    @Test
    void badBatchSizeIsRejectedNamingIt() {
        String msg = assertThrows(IllegalArgumentException.class, () -> new DataLoader(numbered(3), 0)).getMessage();
        assertTrue(msg.contains("batch_size=0"), msg);
    }

    @Test
    void aLoaderThatDoesNotShuffleLeavesTheDefaultGeneratorAlone() {
        long[] before = Generator.defaultGenerator().getState();
        DataLoader loader = new DataLoader(numbered(6), 2);
        epoch(loader);
        assertArrayEquals(before, Generator.defaultGenerator().getState());
    }
}
