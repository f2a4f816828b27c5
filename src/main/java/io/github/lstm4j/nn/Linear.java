package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.LinearAlgebra;
import io.github.lstm4j.tensor.Shape;

/**
 * Applies an affine map to the last dimension: {@code y = x W^T + b}, like {@code nn.Linear}.
 *
 * <p>Parameters: {@code weight} of shape {@code (outFeatures, inFeatures)} and {@code bias} of
 * shape {@code (outFeatures)}, both drawn from {@code U(-1/sqrt(inFeatures), 1/sqrt(inFeatures))}
 * (PyTorch's default), weight first.
 *
 * <p>Input {@code (*, inFeatures)}; output {@code (*, outFeatures)}.
 */
public class Linear extends Module implements Forward {

    private final int inFeatures;
    private final int outFeatures;
    /** The weight, {@code (outFeatures, inFeatures)}. */
    public final Parameter weight;
    /** The bias, {@code (outFeatures)}, or null. */
    public final Parameter bias;

    /** A layer with bias, initialised from the {@linkplain Generator#defaultGenerator() default generator}. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.defaultGenerator());
    }

    /** A layer with or without bias, initialised from the default generator. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Generator.defaultGenerator());
    }

    /**
     * A layer initialised from {@code gen}.
     *
     * @throws IllegalArgumentException for negative sizes
     */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be >= 0, got "
                + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        float bound = inFeatures > 0 ? (float) (1.0 / Math.sqrt(inFeatures)) : 0f;
        this.weight = registerParameter("weight", Tensor.uniform(gen, -bound, bound, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.uniform(gen, -bound, bound, outFeatures)) : null;
    }

    /** The input feature count. */
    public int inFeatures() {
        return inFeatures;
    }

    /** The output feature count. */
    public int outFeatures() {
        return outFeatures;
    }

    /**
     * {@code x W^T + b}.
     *
     * @throws IllegalArgumentException when the last dimension of {@code input} is not {@code inFeatures}
     */
    @Override
    public Tensor forward(Tensor input) {
        long outputs = input.dim() == 0 ? 0 : (long) (input.numel() / Math.max(input.size(-1), 1)) * outFeatures;
        if (outputs > Integer.MAX_VALUE) {
            int[] shape = input.shape();
            shape[shape.length - 1] = outFeatures;
            throw new IllegalArgumentException("Linear: the output " + Shape.format(shape)
                + " for input " + Shape.format(input.shape())
                + " has more than 2^31-1 values");
        }
        return LinearAlgebra.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
