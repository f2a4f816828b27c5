package io.github.lstm4j.nn;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;

/**
 * Zeroes each element with probability {@code p} in training mode and scales the rest by
 * {@code 1/(1-p)}, like {@code nn.Dropout}; the identity in evaluation mode. Masks are drawn from
 * the module's generator, so a seed reproduces them.
 */
public class Dropout extends Module implements Forward {

    private final float p;
    private final Generator gen;

    /** Dropout with probability {@code p}, masks from the default generator. */
    public Dropout(double p) {
        this(p, Generator.defaultGenerator());
    }

    /**
     * Dropout with probability {@code p}, masks from {@code gen}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= p <= 1}
     */
    public Dropout(double p, Generator gen) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = (float) p;
        this.gen = gen;
    }

    /** The drop probability. */
    public float p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return dropout(input, p, isTraining(), gen);
    }

    /**
     * Functional dropout: in training, {@code x * mask / (1 - p)} with {@code mask ~ Bernoulli(1 - p)}
     * drawn from {@code gen}; otherwise {@code x}. With {@code p == 1} every element is zeroed.
     */
    public static Tensor dropout(Tensor input, float p, boolean training, Generator gen) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0f) {
            return input;
        }
        float[] mask = new float[input.numel()];
        float scale = p >= 1f ? 0f : 1f / (1f - p);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = gen.nextFloat() >= p ? scale : 0f;
        }
        return input.mul(Tensor.wrap(mask, input.shape()));
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
