package io.github.lstm4j.autograd;

/**
 * A scope that restores the previous {@link GradMode} when closed. Obtain it from
 * {@link GradMode#noGrad()} (or {@code Tensor.noGrad()}) in a try-with-resources statement.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;
    private boolean closed;

    NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Restores the grad mode that was in force when this scope opened. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            GradMode.setEnabled(previous);
        }
    }
}
