package io.github.lstm4j.data;

/**
 * A finite, indexable collection of samples, like {@code torch.utils.data.Dataset}: what a
 * {@link DataLoader} draws batches from.
 *
 * @param <T> the sample type; {@link TensorDataset} and {@link DataLoader} use {@code Tensor[]}
 *     (one tensor per component, e.g. {@code {input, target}})
 */
public interface Dataset<T> {

    /** The number of samples. */
    int size();

    /**
     * Sample {@code index}.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    T get(int index);
}
