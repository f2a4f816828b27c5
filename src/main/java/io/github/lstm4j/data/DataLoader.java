package io.github.lstm4j.data;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches of a {@link Dataset}, like {@code torch.utils.data.DataLoader}: each iteration over the
 * loader is one epoch, yielding {@code Tensor[]} batches whose component {@code k} stacks
 * component {@code k} of {@code batchSize} samples along a new first dimension
 * ({@code (B, ...)}).
 *
 * <p>Order: without shuffling, samples come in index order. With shuffling, every call to
 * {@link #iterator()} (every epoch) draws a fresh permutation from the loader's
 * {@link Generator}, so epochs differ from each other, and the same seed gives the same sequence
 * of epochs. Every sample appears exactly once per epoch. With {@code dropLast} the last,
 * incomplete batch is skipped; otherwise it is yielded smaller.
 *
 * <p>Resuming exactly: the permutation of an epoch is drawn when its iterator is created, so the
 * generator's state between two epochs is all a checkpoint needs. Save {@link #generatorState()}
 * after an epoch's iteration has started or finished and before the next one starts, and call
 * {@link #setGeneratorState} on a fresh loader before iterating again: the following epochs see
 * the same orders as the uninterrupted run.
 *
 * <p>Batches are new tensors without autograd history. A {@link TensorDataset} is gathered row by
 * row from its tensors directly; any other dataset is read with {@link Dataset#get} and its
 * samples are stacked, after checking they have equal shapes.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(new TensorDataset(x, y))
 *     .batchSize(32).shuffle(new Generator(42)).dropLast(false).build();
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     for (Tensor[] batch : loader) { ... batch[0] is (32, seq, F), batch[1] is (32, 1) ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one loader per training loop.
 */
public final class DataLoader implements Iterable<Tensor[]> {

    private final Dataset<Tensor[]> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;

    /** Batches of {@code batchSize} in index order, the last one possibly smaller. */
    public DataLoader(Dataset<Tensor[]> dataset, int batchSize) {
        this(builder(dataset).batchSize(batchSize));
    }

    /**
     * Batches of {@code batchSize}, shuffled each epoch when {@code shuffle} by {@code generator}
     * (null: a generator seeded from the {@linkplain Generator#defaultGenerator() default
     * generator}, so {@code Generator.manualSeed} makes it reproducible).
     */
    public DataLoader(Dataset<Tensor[]> dataset, int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        this(builder(dataset).batchSize(batchSize).shuffle(shuffle).dropLast(dropLast).generator(generator));
    }

    private DataLoader(Builder b) {
        if (b.dataset == null) {
            throw new IllegalArgumentException("DataLoader: dataset must not be null");
        }
        if (b.batchSize <= 0) {
            throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size="
                + b.batchSize);
        }
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        if (b.generator != null) {
            this.generator = b.generator;
        } else if (b.shuffle) {
            this.generator = new Generator(Generator.defaultGenerator().nextLong());
        } else {
            this.generator = new Generator(0); // never drawn from; the default generator is left untouched
        }
    }

    /** A builder with PyTorch's defaults: batch size 1, no shuffling, keep the last batch. */
    public static Builder builder(Dataset<Tensor[]> dataset) {
        return new Builder(dataset);
    }

    /** The dataset. */
    public Dataset<Tensor[]> dataset() {
        return dataset;
    }

    /** Samples per batch. */
    public int batchSize() {
        return batchSize;
    }

    /** Whether each epoch is shuffled. */
    public boolean shuffle() {
        return shuffle;
    }

    /** Whether the last incomplete batch is skipped. */
    public boolean dropLast() {
        return dropLast;
    }

    /** The number of batches per epoch, like {@code len(loader)}. */
    public int len() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The generator that shuffles (used only when shuffling). */
    public Generator generator() {
        return generator;
    }

    /** A copy of the shuffling generator's state, for a checkpoint (see the class documentation). */
    public long[] generatorState() {
        return generator.getState();
    }

    /**
     * Restores the shuffling generator's state saved by {@link #generatorState()}.
     *
     * @throws IllegalArgumentException for a malformed state
     */
    public void setGeneratorState(long[] state) {
        generator.setState(state);
    }

    /**
     * The sample order of a new epoch: a permutation drawn from the generator when shuffling
     * (advancing it), the identity otherwise. {@link #iterator()} uses exactly this.
     */
    public int[] nextEpochOrder() {
        int n = dataset.size();
        if (shuffle) {
            return generator.permutation(n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** One epoch of batches; when shuffling, draws this epoch's permutation now. */
    @Override
    public Iterator<Tensor[]> iterator() {
        int[] order = nextEpochOrder();
        int batches = len();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Tensor[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the epoch has " + batches + " batches");
                }
                int from = next * batchSize;
                int to = Math.min(from + batchSize, order.length);
                next++;
                return collate(Arrays.copyOfRange(order, from, to));
            }
        };
    }

    /** The batch of the samples at {@code indices}, in that order. */
    Tensor[] collate(int[] indices) {
        if (dataset instanceof TensorDataset) {
            TensorDataset td = (TensorDataset) dataset;
            Tensor[] out = new Tensor[td.numTensors()];
            for (int k = 0; k < out.length; k++) {
                out[k] = gatherRows(td.tensor(k), indices);
            }
            return out;
        }
        Tensor[][] samples = new Tensor[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            samples[i] = dataset.get(indices[i]);
        }
        return stack(samples, indices);
    }

    private static Tensor gatherRows(Tensor source, int[] rows) {
        int[] shape = source.shape();
        int row = Shape.numel(shape) / Math.max(shape[0], 1);
        float[] src = source.data();
        float[] dst = new float[rows.length * row];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(src, rows[i] * row, dst, i * row, row);
        }
        shape[0] = rows.length;
        return Tensor.wrap(dst, shape);
    }

    private static Tensor[] stack(Tensor[][] samples, int[] indices) {
        int parts = samples[0].length;
        Tensor[] out = new Tensor[parts];
        for (int k = 0; k < parts; k++) {
            int[] itemShape = samples[0][k].shape();
            int item = Shape.numel(itemShape);
            float[] dst = new float[samples.length * item];
            for (int i = 0; i < samples.length; i++) {
                Tensor[] s = samples[i];
                if (s.length != parts) {
                    throw new IllegalArgumentException("DataLoader: sample " + indices[i] + " has " + s.length
                        + " tensors but sample " + indices[0] + " has " + parts);
                }
                if (!Arrays.equals(s[k].shape(), itemShape)) {
                    throw new IllegalArgumentException("DataLoader: cannot stack tensor " + k + " of sample "
                        + indices[i] + " with shape " + Shape.format(s[k].shape()) + " onto shape "
                        + Shape.format(itemShape) + " of sample " + indices[0]);
                }
                System.arraycopy(s[k].data(), 0, dst, i * item, item);
            }
            int[] shape = new int[itemShape.length + 1];
            shape[0] = samples.length;
            System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
            out[k] = Tensor.wrap(dst, shape);
        }
        return out;
    }

    @Override
    public String toString() {
        return "DataLoader(size=" + dataset.size() + ", batch_size=" + batchSize + ", shuffle=" + shuffle
            + ", drop_last=" + dropLast + ")";
    }

    /** PyTorch's keyword arguments, with its defaults. */
    public static final class Builder {
        private final Dataset<Tensor[]> dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;

        private Builder(Dataset<Tensor[]> dataset) {
            this.dataset = dataset;
        }

        /** Samples per batch (default 1). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Whether to reshuffle every epoch (default false). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Reshuffle every epoch, drawing from {@code generator}. */
        public Builder shuffle(Generator generator) {
            this.shuffle = true;
            this.generator = generator;
            return this;
        }

        /** Skip the last incomplete batch (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * The shuffling generator (default: when shuffling, one seeded from the default generator
         * as the loader is built; otherwise the default generator is not touched).
         */
        public Builder generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /**
         * The loader.
         *
         * @throws IllegalArgumentException for a null dataset or a batch size below 1
         */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
