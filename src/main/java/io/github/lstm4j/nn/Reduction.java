package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/** How a loss combines its per-element values, like PyTorch's {@code reduction} argument. */
public enum Reduction {
    /** The mean over all elements (PyTorch's default). */
    MEAN,
    /** The sum over all elements. */
    SUM,
    /** No reduction: the per-element losses, shaped like the input. */
    NONE;

    /** Applies this reduction to per-element losses. */
    public Tensor apply(Tensor losses) {
        switch (this) {
            case MEAN:
                return losses.mean();
            case SUM:
                return losses.sum();
            default:
                return losses;
        }
    }

    /** Parses PyTorch's spelling: {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public static Reduction parse(String s) {
        switch (s) {
            case "mean":
                return MEAN;
            case "sum":
                return SUM;
            case "none":
                return NONE;
            default:
                throw new IllegalArgumentException("reduction must be 'mean', 'sum' or 'none', got '" + s + "'");
        }
    }
}
