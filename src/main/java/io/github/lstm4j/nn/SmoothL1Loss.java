package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.Losses;

/**
 * Smooth L1 loss, like {@code nn.SmoothL1Loss}: with {@code d = input - target},
 * <pre>
 *   l = 0.5 d^2 / beta     if |d| &lt; beta
 *       |d| - 0.5 beta     otherwise
 * </pre>
 * then reduced ({@link Reduction#MEAN} by default). {@code beta = 0} gives {@link L1Loss};
 * {@link HuberLoss} with {@code delta = beta} is {@code beta} times this loss.
 *
 * <p>Gradient: {@code d input = clamp(d / beta, -1, 1)} ({@code sign(d)} for {@code beta = 0}),
 * divided by N for the mean; {@code d target = -d input}.
 *
 * <p>Args: {@code reduction} (mean), {@code beta >= 0} (1.0). Input and target: {@code (*)}, the
 * same shape (broadcast with a warning otherwise). Output: a scalar, or {@code (*)} for
 * {@link Reduction#NONE}.
 */
public class SmoothL1Loss extends Module {

    private final Reduction reduction;
    private final float beta;

    /** Mean reduction, {@code beta = 1}. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, 1f);
    }

    /** The given reduction, {@code beta = 1}. */
    public SmoothL1Loss(Reduction reduction) {
        this(reduction, 1f);
    }

    /**
     * The given reduction and {@code beta}.
     *
     * @throws IllegalArgumentException for a negative, infinite or NaN {@code beta}
     */
    public SmoothL1Loss(Reduction reduction, float beta) {
        this.reduction = L1Loss.requireReduction(reduction);
        if (!(beta >= 0) || Float.isInfinite(beta)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be non-negative and finite, got " + beta);
        }
        this.beta = beta;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The threshold between the quadratic and linear parts. */
    public float beta() {
        return beta;
    }

    /**
     * The loss of {@code input} against {@code target}.
     *
     * @throws IllegalArgumentException when the shapes cannot be broadcast
     */
    public Tensor forward(Tensor input, Tensor target) {
        return reduction.apply(Losses.smoothL1(L1Loss.difference("SmoothL1Loss", input, target), beta));
    }

    @Override
    protected String extraRepr() {
        String r = L1Loss.reductionRepr(reduction);
        return beta == 1f ? r : (r.isEmpty() ? "" : r + ", ") + "beta=" + beta;
    }
}
