package io.github.lstm4j.autograd;

/**
 * Whether operations record history for backward, per thread (like {@code torch.is_grad_enabled}).
 * Enabled by default; {@link #noGrad()} turns it off for a try-with-resources block.
 */
public final class GradMode {

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when operations on this thread record history. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets grad mode for this thread; returns the previous value. */
    public static boolean setEnabled(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean old = cell[0];
        cell[0] = enabled;
        return old;
    }

    /**
     * Disables history recording on this thread until the returned scope is closed, like
     * {@code with torch.no_grad():}.
     *
     * <pre>{@code
     * try (NoGrad ignored = GradMode.noGrad()) {
     *     Tensor y = model.forward(x);   // no graph, no saved activations
     * }
     * }</pre>
     */
    public static NoGrad noGrad() {
        return new NoGrad(setEnabled(false));
    }

    /** Enables history recording until the returned scope is closed, like {@code torch.enable_grad()}. */
    public static NoGrad enableGrad() {
        return new NoGrad(setEnabled(true));
    }
}
