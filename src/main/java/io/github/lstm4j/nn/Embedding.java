package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.IndexOps;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * A lookup table of vectors, like {@code nn.Embedding}: index {@code i} maps to row {@code i} of
 * {@code weight}. The usual first layer of a model over tokens or categories.
 *
 * <p>Parameter: {@code weight} of shape {@code (numEmbeddings, embeddingDim)}, drawn from
 * {@code N(0, 1)} (PyTorch's default), with the {@code paddingIdx} row, if any, set to zero.
 *
 * <p>Input: indices of any shape {@code (*)}, held as floats (lstm4j tensors are float32), each an
 * integer in {@code [0, numEmbeddings)}. Output: {@code (*, embeddingDim)}.
 *
 * <p>Gradient: the upstream gradient of each output vector is added into the weight row it was
 * read from (repeated indices accumulate), except the {@code paddingIdx} row, which receives
 * none, so it stays whatever it was (zero unless changed by hand).
 *
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 32, 0, new Generator(7));  // row 0 is padding
 * Tensor vectors = emb.forward(Tensor.of(new float[] {5, 9, 0, 0}, 2, 2));   // (2, 2, 32)
 * }</pre>
 */
public class Embedding extends Module implements Forward {

    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;
    /** The table, {@code (numEmbeddings, embeddingDim)}. */
    public final Parameter weight;

    /** A table without padding row, drawn from the {@linkplain Generator#defaultGenerator() default generator}. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, Generator.defaultGenerator());
    }

    /** A table without padding row, drawn from {@code gen}. */
    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        this(numEmbeddings, embeddingDim, null, gen);
    }

    /**
     * A table drawn from {@code gen} whose row {@code paddingIdx} is zero and never receives a
     * gradient. A negative {@code paddingIdx} counts from the end, as in PyTorch.
     *
     * @throws IllegalArgumentException for negative sizes or {@code paddingIdx} outside
     *     {@code [-numEmbeddings, numEmbeddings)}
     */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx, Generator gen) {
        this(numEmbeddings, embeddingDim, Integer.valueOf(paddingIdx), gen);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator gen) {
        this(initialTable(numEmbeddings, embeddingDim, paddingIdx, gen), paddingIdx, true);
    }

    private Embedding(Tensor table, Integer paddingIdx, boolean requiresGrad) {
        if (table.dim() != 2) {
            throw new IllegalArgumentException("Embedding: the weight must be 2-dimensional (num_embeddings, "
                + "embedding_dim), got shape " + Shape.format(table.shape()));
        }
        this.numEmbeddings = table.size(0);
        this.embeddingDim = table.size(1);
        this.paddingIdx = paddingIdx == null ? -1 : normalizePadding(paddingIdx, numEmbeddings);
        this.weight = registerParameter("weight", new Parameter(table, requiresGrad));
    }

    /** {@code N(0, 1)} draws from {@code gen} with the padding row replaced by zeros. */
    private static Tensor initialTable(int num, int dim, Integer paddingIdx, Generator gen) {
        if (num < 0 || dim < 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings and embedding_dim must be >= 0, got "
                + num + " and " + dim);
        }
        Tensor table = Tensor.randn(gen, num, dim);
        if (paddingIdx == null) {
            return table;
        }
        int p = normalizePadding(paddingIdx, num);
        return Tensor.cat(List.of(table.narrow(0, 0, p), Tensor.zeros(1, dim), table.narrow(0, p + 1, num - p - 1)), 0);
    }

    /**
     * A table holding a copy of {@code embeddings} {@code (num, dim)}, like
     * {@code nn.Embedding.from_pretrained}: frozen (no gradient) when {@code freeze}; the padding
     * row, if any, is kept as given (not zeroed) but receives no gradient.
     *
     * @param paddingIdx null for none
     * @throws IllegalArgumentException unless {@code embeddings} is 2-D, or for a bad {@code paddingIdx}
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        return new Embedding(embeddings.copy(), paddingIdx, !freeze);
    }

    private static int normalizePadding(int paddingIdx, int num) {
        if (paddingIdx >= num || paddingIdx < -num) {
            throw new IllegalArgumentException("Embedding: padding_idx " + paddingIdx + " must be within "
                + "num_embeddings: [" + (-num) + ", " + num + ")");
        }
        return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
    }

    /** The number of rows. */
    public int numEmbeddings() {
        return numEmbeddings;
    }

    /** The size of each vector. */
    public int embeddingDim() {
        return embeddingDim;
    }

    /** The padding row (non-negative, as PyTorch stores it), if any. */
    public OptionalInt paddingIdx() {
        return paddingIdx < 0 ? OptionalInt.empty() : OptionalInt.of(paddingIdx);
    }

    /**
     * The rows of {@code weight} at {@code indices}: shape {@code indices.shape() + [embeddingDim]}.
     *
     * @throws IllegalArgumentException naming the index and its position when it is not an
     *     integer in {@code [0, numEmbeddings)}
     */
    @Override
    public Tensor forward(Tensor indices) {
        int[] idx = IndexOps.toIndices(indices, "Embedding input");
        int[] shape = indices.shape();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding: index " + idx[i] + " at position "
                    + IndexOps.position(i, shape) + " is out of range [0, " + numEmbeddings + ")");
            }
        }
        int[] outShape = Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = embeddingDim;
        return IndexOps.indexSelect(weight, 0, idx, paddingIdx).reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
