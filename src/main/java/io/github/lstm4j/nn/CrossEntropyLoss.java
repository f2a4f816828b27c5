package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.ops.IndexOps;
import io.github.lstm4j.autograd.ops.Losses;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * Cross entropy between logits and class indices, like {@code nn.CrossEntropyLoss}: log-softmax
 * over the class dimension followed by the negative log-likelihood, computed together and stably
 * (log-sum-exp with the maximum subtracted). For a sample with logits {@code z}, target class
 * {@code t}, class weights {@code w} (all 1 when not given), {@code C} classes and label smoothing
 * {@code eps}:
 * <pre>
 *   logp_c = z_c - log(sum_k exp(z_k))
 *   l      = (1 - eps) * (-w_t logp_t) + (eps / C) * (-sum_c w_c logp_c)
 * </pre>
 * and {@code l = 0} where {@code t == ignoreIndex}. Reductions: {@code none} returns every
 * {@code l}; {@code sum} their sum; {@code mean} their sum divided by {@code sum of w_t} over the
 * targets that are not ignored (the count of those targets without weights), both for the
 * likelihood and the smoothing term, exactly as PyTorch 1.13 does. If every target is ignored the
 * mean is NaN (0/0), as in PyTorch.
 *
 * <p>Args (builder, defaults as PyTorch): {@code weight} ({@code (C)}, none), {@code ignoreIndex}
 * (-100), {@code reduction} (mean), {@code labelSmoothing} in {@code [0, 1]} (0). The weight is a
 * buffer named {@code weight}, saved in the state dict as PyTorch does.
 *
 * <p>Shapes: input {@code (C)}, {@code (N, C)} or {@code (N, C, d1, d2, ...)} (class dimension 1);
 * target {@code ()}, {@code (N)} or {@code (N, d1, d2, ...)} holding class indices as floats
 * (lstm4j tensors are float32), each an integer in {@code [0, C)} or equal to
 * {@code ignoreIndex}. Output: a scalar, or the target's shape for {@code none}. Class
 * probabilities as targets are not supported.
 *
 * <p>Gradient (input only; targets are indices): {@code dz_j = (1 - eps) w_t (p_j - [j == t])
 * + (eps / C) (p_j sum_c w_c - w_j)} per sample, times the upstream gradient (divided by the
 * weight sum for the mean), with {@code p = softmax(z)}.
 *
 * <pre>{@code
 * CrossEntropyLoss ce = CrossEntropyLoss.builder().labelSmoothing(0.1f).ignoreIndex(0).build();
 * Tensor loss = ce.forward(logits, Tensor.of(3f, 1f, 0f));   // logits (3, C)
 * }</pre>
 */
public class CrossEntropyLoss extends Module {

    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;
    private final float labelSmoothing;

    /** PyTorch's defaults: no weight, ignore index -100, mean, no label smoothing. */
    public CrossEntropyLoss() {
        this(builder());
    }

    /** The defaults with the given reduction. */
    public CrossEntropyLoss(Reduction reduction) {
        this(builder().reduction(reduction));
    }

    private CrossEntropyLoss(Builder b) {
        this.reduction = L1Loss.requireReduction(b.reduction);
        if (!(b.labelSmoothing >= 0f && b.labelSmoothing <= 1f)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + b.labelSmoothing);
        }
        if (b.weight != null && b.weight.dim() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: weight must be a 1-D tensor of one weight per class, "
                + "got shape " + Shape.format(b.weight.shape()));
        }
        this.labelSmoothing = b.labelSmoothing;
        this.ignoreIndex = b.ignoreIndex;
        this.weight = b.weight == null ? null : registerBuffer("weight", b.weight.detach());
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The class weights, or null. */
    public Tensor weight() {
        return weight;
    }

    /** The target value whose positions contribute neither loss nor gradient. */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The label smoothing amount. */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /**
     * The loss of logits {@code input} against class indices {@code target}.
     *
     * @throws IllegalArgumentException for shapes that do not fit together (naming both), a weight
     *     whose length is not the class count, or a target that is not an integer in {@code [0, C)}
     *     nor {@code ignoreIndex} (naming the value and its position)
     */
    public Tensor forward(Tensor input, Tensor target) {
        int[] in = input.shape();
        int[] tg = target.shape();
        if (in.length == 0) {
            throw new IllegalArgumentException("CrossEntropyLoss: input must have a class dimension: (C), (N, C) or "
                + "(N, C, d1, ...), got a 0-dim tensor");
        }
        int[] expected = expectedTargetShape(in);
        if (!Arrays.equals(expected, tg)) {
            String hint = Arrays.equals(in, tg) ? " (class-probability targets are not supported; give class indices)" : "";
            throw new IllegalArgumentException("CrossEntropyLoss: for input of shape " + Shape.format(in)
                + " the target must have shape " + Shape.format(expected) + ", got " + Shape.format(tg) + hint);
        }
        int classes = in.length == 1 ? in[0] : in[1];
        if (weight != null && weight.numel() != classes) {
            throw new IllegalArgumentException("CrossEntropyLoss: weight tensor should be defined either for all "
                + classes + " classes or no classes but got weight tensor of shape: " + Shape.format(weight.shape()));
        }
        int[] t = IndexOps.toIndices(target, "CrossEntropyLoss target");
        for (int i = 0; i < t.length; i++) {
            if (t[i] != ignoreIndex && (t[i] < 0 || t[i] >= classes)) {
                throw new IllegalArgumentException("CrossEntropyLoss: target " + t[i] + " at position "
                    + IndexOps.position(i, tg) + " is out of bounds: expected a class index in [0, " + classes
                    + ") or ignore_index " + ignoreIndex);
            }
        }
        Tensor losses = Losses.crossEntropy(input, t, weight, ignoreIndex, labelSmoothing, tg);
        switch (reduction) {
            case NONE:
                return losses;
            case SUM:
                return losses.sum();
            default:
                return losses.sum().div((float) Losses.crossEntropyWeightSum(t, weight, ignoreIndex));
        }
    }

    private static int[] expectedTargetShape(int[] in) {
        if (in.length == 1) {
            return new int[0];
        }
        int[] t = new int[in.length - 1];
        t[0] = in[0];
        System.arraycopy(in, 2, t, 1, in.length - 2);
        return t;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder(L1Loss.reductionRepr(reduction));
        if (ignoreIndex != -100) {
            sb.append(sb.length() > 0 ? ", " : "").append("ignore_index=").append(ignoreIndex);
        }
        if (labelSmoothing != 0f) {
            sb.append(sb.length() > 0 ? ", " : "").append("label_smoothing=").append(labelSmoothing);
        }
        return sb.toString();
    }

    /** PyTorch's keyword arguments, with its defaults. */
    public static final class Builder {
        private Tensor weight;
        private int ignoreIndex = -100;
        private Reduction reduction = Reduction.MEAN;
        private float labelSmoothing;

        private Builder() {
        }

        /** Per-class weights {@code (C)} (default none: all 1). */
        public Builder weight(Tensor weight) {
            this.weight = weight;
            return this;
        }

        /** Target value to ignore (default -100). */
        public Builder ignoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** The reduction (default mean). */
        public Builder reduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /** Label smoothing in {@code [0, 1]} (default 0). */
        public Builder labelSmoothing(float labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /**
         * The loss.
         *
         * @throws IllegalArgumentException for label smoothing outside {@code [0, 1]}, a null
         *     reduction or a weight that is not 1-D
         */
        public CrossEntropyLoss build() {
            return new CrossEntropyLoss(this);
        }
    }
}
