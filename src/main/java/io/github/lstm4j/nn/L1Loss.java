package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mean absolute error, like {@code nn.L1Loss}: {@code l_i = |input_i - target_i|}, then reduced
 * ({@link Reduction#MEAN} by default).
 *
 * <p>Gradient: {@code d input = sign(input - target) / N} for the mean (0 where they are equal, as
 * PyTorch), {@code d target = -d input}.
 *
 * <p>Input and target: any shape {@code (*)}, the same for both; as in PyTorch, different shapes
 * are broadcast with a warning, and shapes that cannot be broadcast are an error. Output: a scalar,
 * or {@code (*)} for {@link Reduction#NONE}.
 *
 * <pre>{@code
 * Tensor loss = new L1Loss().forward(pred, target);
 * loss.backward();
 * }</pre>
 */
public class L1Loss extends Module {

    private static final Logger log = LoggerFactory.getLogger(L1Loss.class);

    private final Reduction reduction;

    /** Mean reduction. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** The given reduction. */
    public L1Loss(Reduction reduction) {
        this.reduction = requireReduction(reduction);
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
        return reduction.apply(difference("L1Loss", input, target).abs());
    }

    @Override
    protected String extraRepr() {
        return reductionRepr(reduction);
    }

    /** Rejects a null reduction; returns it. */
    static Reduction requireReduction(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException("reduction must not be null");
        }
        return reduction;
    }

    /** {@code ""} for the default mean, else {@code reduction=sum}. */
    static String reductionRepr(Reduction reduction) {
        return reduction == Reduction.MEAN ? "" : "reduction=" + reduction.name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code input - target} for the elementwise regression losses, warning (as PyTorch does) when
     * the shapes differ but broadcast.
     *
     * @throws IllegalArgumentException naming both shapes when they cannot be broadcast
     */
    static Tensor difference(String loss, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            try {
                Shape.broadcast(input.shape(), target.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(loss + ": the size of input " + Shape.format(input.shape())
                    + " must match the size of target " + Shape.format(target.shape()) + " or broadcast with it", e);
            }
            log.warn("{}: using a target size ({}) that is different to the input size ({}). This will likely lead "
                + "to incorrect results due to broadcasting. Please ensure they have the same size.",
                loss, Shape.format(target.shape()), Shape.format(input.shape()));
        }
        return input.sub(target);
    }
}
