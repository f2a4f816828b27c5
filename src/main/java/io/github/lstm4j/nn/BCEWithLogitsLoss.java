package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.Losses;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * Binary cross entropy on logits, like {@code nn.BCEWithLogitsLoss}: a sigmoid and the binary
 * cross entropy in one numerically stable step. For logit {@code x}, target {@code y} in
 * {@code [0, 1]}, positive weight {@code p} and element weight {@code w}:
 * <pre>
 *   l = -w * (p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))
 *     =  w * ((1 - y) x + (1 + (p - 1) y) log(1 + exp(-x)))
 * </pre>
 * where {@code log(1 + exp(-x))} is evaluated as {@code max(-x, 0) + log(1 + exp(-|x|))}, so large
 * logits of either sign neither overflow nor lose the loss. Then reduced ({@link Reduction#MEAN}
 * by default).
 *
 * <p>Args (builder, defaults as PyTorch): {@code weight} (a rescaling weight broadcast to the input
 * shape, none), {@code reduction} (mean), {@code posWeight} (weight of positive examples, broadcast
 * to the input shape, typically {@code (C)} for {@code (N, C)} multi-label input; none). Both are
 * buffers ({@code weight}, {@code pos_weight}) saved in the state dict as PyTorch does, and neither
 * is differentiated (PyTorch refuses to).
 *
 * <p>Shapes: input and target {@code (*)}, the same. Output: a scalar, or {@code (*)} for
 * {@link Reduction#NONE}. Gradients: {@code d x = w ((1 - y) - (1 + (p - 1) y) sigmoid(-x))},
 * {@code d y = w (-x + (p - 1) log(1 + exp(-x)))}.
 *
 * <pre>{@code
 * BCEWithLogitsLoss bce = new BCEWithLogitsLoss(Reduction.MEAN, Tensor.of(3f, 1f));  // 2 labels
 * Tensor loss = bce.forward(logits, targets);   // both (N, 2)
 * }</pre>
 */
public class BCEWithLogitsLoss extends Module {

    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    /** Mean reduction, no weights. */
    public BCEWithLogitsLoss() {
        this(builder());
    }

    /** The given reduction, no weights. */
    public BCEWithLogitsLoss(Reduction reduction) {
        this(builder().reduction(reduction));
    }

    /** The given reduction and positive-class weight (null for none). */
    public BCEWithLogitsLoss(Reduction reduction, Tensor posWeight) {
        this(builder().reduction(reduction).posWeight(posWeight));
    }

    private BCEWithLogitsLoss(Builder b) {
        this.reduction = L1Loss.requireReduction(b.reduction);
        this.weight = b.weight == null ? null : registerBuffer("weight", b.weight.detach());
        this.posWeight = b.posWeight == null ? null : registerBuffer("pos_weight", b.posWeight.detach());
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The element weight, or null. */
    public Tensor weight() {
        return weight;
    }

    /** The positive-class weight, or null. */
    public Tensor posWeight() {
        return posWeight;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss of logits {@code input} against targets {@code target}.
     *
     * @throws IllegalArgumentException when the shapes differ, or a weight does not broadcast to
     *     the input's shape (naming the shapes)
     */
    public Tensor forward(Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("BCEWithLogitsLoss: target size (" + Shape.format(target.shape())
                + ") must be the same as input size (" + Shape.format(input.shape()) + ")");
        }
        if (posWeight != null) {
            requireBroadcastsTo("pos_weight", posWeight, input);
        }
        Tensor losses = Losses.bceWithLogits(input, target, posWeight);
        if (weight != null) {
            requireBroadcastsTo("weight", weight, input);
            losses = losses.mul(weight);
        }
        return reduction.apply(losses);
    }

    private static void requireBroadcastsTo(String name, Tensor w, Tensor input) {
        int[] in = input.shape();
        boolean ok;
        try {
            ok = Arrays.equals(Shape.broadcast(in, w.shape()), in);
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (!ok) {
            throw new IllegalArgumentException("BCEWithLogitsLoss: " + name + " of shape " + Shape.format(w.shape())
                + " does not broadcast to the input shape " + Shape.format(in));
        }
    }

    @Override
    protected String extraRepr() {
        return L1Loss.reductionRepr(reduction);
    }

    /** PyTorch's keyword arguments, with its defaults. */
    public static final class Builder {
        private Tensor weight;
        private Tensor posWeight;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** A rescaling weight broadcast to the input's shape (default none). */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** The weight of positive examples, broadcast to the input's shape (default none). */
        public Builder posWeight(Tensor posWeight) {
            this.posWeight = posWeight;
            return this;
        }

        /** The reduction (default mean). */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /**
         * The loss.
         *
         * @throws IllegalArgumentException for a null reduction
         */
        public BCEWithLogitsLoss build() {
            return new BCEWithLogitsLoss(this);
        }
    }
}
