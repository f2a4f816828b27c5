package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.Losses;

/**
 * Huber loss, like {@code nn.HuberLoss}: with {@code d = input - target},
 * <pre>
 *   l = 0.5 d^2                     if |d| &lt; delta
 *       delta (|d| - 0.5 delta)     otherwise
 * </pre>
 * then reduced ({@link Reduction#MEAN} by default). Quadratic near zero, linear (so less sensitive
 * to outliers than {@link MSELoss}) beyond {@code delta}. Equals {@code delta} times
 * {@link SmoothL1Loss} with {@code beta = delta}.
 *
 * <p>Gradient: {@code d input = clamp(d, -delta, delta)} (divided by N for the mean),
 * {@code d target = -d input}.
 *
 * <p>Args: {@code reduction} (mean), {@code delta > 0} (1.0). Input and target: {@code (*)}, the
 * same shape (broadcast with a warning otherwise). Output: a scalar, or {@code (*)} for
 * {@link Reduction#NONE}.
 */
public class HuberLoss extends Module {

    private final Reduction reduction;
    private final float delta;

    /** Mean reduction, {@code delta = 1}. */
    public HuberLoss() {
        this(Reduction.MEAN, 1f);
    }

    /** The given reduction, {@code delta = 1}. */
    public HuberLoss(Reduction reduction) {
        this(reduction, 1f);
    }

    /**
     * The given reduction and {@code delta}.
     *
     * @throws IllegalArgumentException unless {@code delta > 0}
     */
    public HuberLoss(Reduction reduction, float delta) {
        this.reduction = L1Loss.requireReduction(reduction);
        if (!(delta > 0) || Float.isInfinite(delta)) {
            throw new IllegalArgumentException("HuberLoss: delta must be positive and finite, got " + delta);
        }
        this.delta = delta;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The threshold between the quadratic and linear parts. */
    public float delta() {
        return delta;
    }

    /**
     * The loss of {@code input} against {@code target}.
     *
     * @throws IllegalArgumentException when the shapes cannot be broadcast
     */
    public Tensor forward(Tensor input, Tensor target) {
        return reduction.apply(Losses.huber(L1Loss.difference("HuberLoss", input, target), delta));
    }

    @Override
    protected String extraRepr() {
        String r = L1Loss.reductionRepr(reduction);
        return delta == 1f ? r : (r.isEmpty() ? "" : r + ", ") + "delta=" + delta;
    }
}
