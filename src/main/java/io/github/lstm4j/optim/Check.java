package io.github.lstm4j.optim;

/** Hyperparameter checks with PyTorch's messages ("Invalid learning rate: -1.0"). */
final class Check {

    private Check() {
    }

    /** {@code value} must be finite and {@code >= 0}; else "{@code what}: value". */
    static double nonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + ": " + value);
        }
        return value;
    }

    /** {@code value} must be finite; else "{@code what}: value". */
    static double finite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + ": " + value);
        }
        return value;
    }

    /** A period in epochs must be {@code >= 1}; else "Invalid {@code what}: value (expected >= 1)". */
    static int period(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Invalid " + what + ": " + value + " (expected >= 1)");
        }
        return value;
    }

    /** The learning rate option of a group. */
    static double lr(ParamGroup g) {
        return nonNegative("Invalid learning rate", g.getDouble("lr"));
    }

    /** The weight decay option of a group. */
    static double weightDecay(ParamGroup g) {
        return nonNegative("Invalid weight_decay value", g.getDouble("weight_decay"));
    }
}
