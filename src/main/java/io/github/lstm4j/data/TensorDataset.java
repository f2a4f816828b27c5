package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.List;

/**
 * Tensors sharing their first dimension, sample {@code i} being the {@code i}-th row of each,
 * like {@code torch.utils.data.TensorDataset}: {@code new TensorDataset(inputs, targets)}.
 *
 * <p>The tensors are kept as given (not copied).
 */
public final class TensorDataset implements Dataset<Tensor[]> {

    private final Tensor[] tensors;
    private final int size;

    /**
     * A dataset over {@code tensors}.
     *
     * @throws IllegalArgumentException when there are none, one is 0-dim, or their first
     *     dimensions differ (naming every shape)
     */
    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        }
        for (int k = 0; k < tensors.length; k++) {
            if (tensors[k] == null || tensors[k].dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + k + " must have a first (sample) "
                    + "dimension, got " + (tensors[k] == null ? "null" : "a 0-dim tensor"));
            }
        }
        int n = tensors[0].size(0);
        for (Tensor t : tensors) {
            if (t.size(0) != n) {
                StringBuilder sb = new StringBuilder("Size mismatch between tensors: the first dimensions differ:");
                for (Tensor u : tensors) {
                    sb.append(' ').append(Shape.format(u.shape()));
                }
                throw new IllegalArgumentException(sb.toString());
            }
        }
        this.tensors = tensors.clone();
        this.size = n;
    }

    @Override
    public int size() {
        return size;
    }

    /** The {@code index}-th row of every tensor ({@code tensor.select(0, index)}). */
    @Override
    public Tensor[] get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a dataset of size " + size);
        }
        Tensor[] out = new Tensor[tensors.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = tensors[k].select(0, index);
        }
        return out;
    }

    /** The number of tensors per sample. */
    public int numTensors() {
        return tensors.length;
    }

    /** The tensors (the same objects that were given). */
    public List<Tensor> tensors() {
        return List.of(tensors);
    }

    /** Tensor {@code k}. */
    public Tensor tensor(int k) {
        if (k < 0 || k >= tensors.length) {
            throw new IndexOutOfBoundsException("tensor index " + k + " out of range: this dataset has "
                + tensors.length + " tensors");
        }
        return tensors[k];
    }

    /**
     * The samples {@code from .. to-1} as a new dataset (each tensor narrowed along its first dimension).
     *
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= size()}
     */
    public TensorDataset range(int from, int to) {
        if (from < 0 || to < from || to > size) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is not within a dataset of size " + size);
        }
        Tensor[] parts = new Tensor[tensors.length];
        for (int k = 0; k < parts.length; k++) {
            parts[k] = tensors[k].narrow(0, from, to - from);
        }
        return new TensorDataset(parts);
    }
}
