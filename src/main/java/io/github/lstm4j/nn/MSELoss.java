package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mean squared error, like {@code nn.MSELoss}: {@code l_i = (input_i - target_i)^2}, then reduced
 * ({@link Reduction#MEAN} by default). Gradient: {@code d input = 2 (input - target) / N} for the mean.
 *
 * <p>Input and target should have the same shape; as in PyTorch, different shapes are broadcast
 * with a warning, and shapes that cannot be broadcast are an error.
 */
public class MSELoss extends Module {

    private static final Logger log = LoggerFactory.getLogger(MSELoss.class);

    private final Reduction reduction;

    /** Mean reduction. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** The given reduction. */
    public MSELoss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction must not be null");
        }
        this.reduction = reduction;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss of {@code input} against {@code target}.
     *
     * @throws IllegalArgumentException when the shapes cannot be broadcast
     */
    public Tensor forward(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            Shape.broadcast(input.shape(), target.shape());
            log.warn("Using a target size ({}) that is different to the input size ({}). This will likely lead to "
                + "incorrect results due to broadcasting. Please ensure they have the same size.",
                Shape.format(target.shape()), Shape.format(input.shape()));
        }
        Tensor diff = input.sub(target);
        return reduction.apply(diff.mul(diff));
    }

    @Override
    protected String extraRepr() {
        return reduction == Reduction.MEAN ? "" : "reduction=" + reduction.name().toLowerCase(java.util.Locale.ROOT);
    }
}
