package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;

/**
 * Turns a time series into supervised (window, future value) pairs for sequence models.
 *
 * <p>For a series of {@code T} time steps with {@code F} features, pair {@code i} starts at
 * {@code s = i * stride}; its input is the rows {@code s .. s + window - 1} and its target is row
 * {@code s + window - 1 + horizon} (the next value for {@code horizon = 1}). There are
 * {@code floor((T - window - horizon) / stride) + 1} pairs, in time order. Inputs have shape
 * {@code (N, window, F)}, ready for an {@code LSTM} with {@code batchFirst}; targets
 * {@code (N, F)}, or {@code (N, k)} when {@link #targetColumns} picks {@code k} features. A
 * 1-D series is one feature: inputs {@code (N, window, 1)}, targets {@code (N, 1)}.
 *
 * <p>Example: the series {@code 1 2 3 4 5 6} with window 3 gives the pairs {@code [1 2 3] -> 4},
 * {@code [2 3 4] -> 5}, {@code [3 4 5] -> 6}; with horizon 2, {@code [1 2 3] -> 5},
 * {@code [2 3 4] -> 6}; with stride 2 (horizon 1), {@code [1 2 3] -> 4}, {@code [3 4 5] -> 6}.
 *
 * <p>Instances are immutable: {@code SlidingWindow.of(9).horizon(1).stride(1).apply(series)}.
 */
public final class SlidingWindow {

    private final int window;
    private final int horizon;
    private final int stride;
    private final int[] targetColumns;

    private SlidingWindow(int window, int horizon, int stride, int[] targetColumns) {
        this.window = window;
        this.horizon = horizon;
        this.stride = stride;
        this.targetColumns = targetColumns;
    }

    /**
     * Windows of {@code window} steps, horizon 1, stride 1, every feature as target.
     *
     * @throws IllegalArgumentException unless {@code window >= 1}
     */
    public static SlidingWindow of(int window) {
        return new SlidingWindow(positive("window", window), 1, 1, null);
    }

    /**
     * The same with the target {@code horizon} steps after the window's last step (default 1).
     *
     * @throws IllegalArgumentException unless {@code horizon >= 1}
     */
    public SlidingWindow horizon(int horizon) {
        return new SlidingWindow(window, positive("horizon", horizon), stride, targetColumns);
    }

    /**
     * The same with consecutive windows {@code stride} steps apart (default 1).
     *
     * @throws IllegalArgumentException unless {@code stride >= 1}
     */
    public SlidingWindow stride(int stride) {
        return new SlidingWindow(window, horizon, positive("stride", stride), targetColumns);
    }

    /**
     * The same with targets made of these feature columns only (default: all), e.g. the one
     * column to forecast from multivariate inputs.
     *
     * @throws IllegalArgumentException for no column or a negative one
     */
    public SlidingWindow targetColumns(int... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("targetColumns needs at least one column");
        }
        for (int c : columns) {
            if (c < 0) {
                throw new IllegalArgumentException("target column must be >= 0, got " + c);
            }
        }
        return new SlidingWindow(window, horizon, stride, columns.clone());
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException("SlidingWindow: " + name + " must be >= 1, got " + v);
        }
        return v;
    }

    /** The window length. */
    public int window() {
        return window;
    }

    /** Steps from the window's last step to the target. */
    public int horizon() {
        return horizon;
    }

    /** Steps between consecutive windows. */
    public int stride() {
        return stride;
    }

    /** The number of pairs a series of {@code length} steps gives (0 when it is too short). */
    public int count(int length) {
        long span = (long) window + horizon;
        return length < span ? 0 : (int) ((length - span) / stride + 1);
    }

    /**
     * The pairs of a univariate series: inputs {@code (N, window, 1)}, targets {@code (N, 1)}.
     *
     * @throws IllegalArgumentException when the series is shorter than {@code window + horizon}
     */
    public Pairs apply(float[] series) {
        return apply(Tensor.of(series, series.length, 1));
    }

    /**
     * The pairs of a series {@code (T)} or {@code (T, F)}.
     *
     * @throws IllegalArgumentException for another rank, a series shorter than
     *     {@code window + horizon}, or a target column {@code >= F}
     */
    public Pairs apply(Tensor series) {
        int[] shape = series.shape();
        if (shape.length != 1 && shape.length != 2) {
            throw new IllegalArgumentException("SlidingWindow expects a series of shape (T) or (T, F), got "
                + Shape.format(shape));
        }
        int steps = shape[0];
        int features = shape.length == 2 ? shape[1] : 1;
        int n = count(steps);
        if (n == 0) {
            throw new IllegalArgumentException("SlidingWindow: a series of " + steps + " steps is too short for "
                + "window " + window + " plus horizon " + horizon + " (needs at least " + (window + horizon) + ")");
        }
        int[] cols = targetColumns;
        if (cols == null) {
            cols = new int[features];
            for (int f = 0; f < features; f++) {
                cols[f] = f;
            }
        }
        for (int c : cols) {
            if (c >= features) {
                throw new IllegalArgumentException("SlidingWindow: target column " + c + " does not exist in a series "
                    + "with " + features + " features (shape " + Shape.format(shape) + ")");
            }
        }
        float[] x = series.data();
        float[] in = new float[n * window * features];
        float[] out = new float[n * cols.length];
        for (int i = 0; i < n; i++) {
            int start = i * stride;
            System.arraycopy(x, start * features, in, i * window * features, window * features);
            int t = start + window - 1 + horizon;
            for (int j = 0; j < cols.length; j++) {
                out[i * cols.length + j] = x[t * features + cols[j]];
            }
        }
        return new Pairs(Tensor.wrap(in, n, window, features), Tensor.wrap(out, n, cols.length),
            window - 1 + horizon, stride);
    }

    @Override
    public String toString() {
        return "SlidingWindow(window=" + window + ", horizon=" + horizon + ", stride=" + stride + ")";
    }

    /** The pairs made from one series, in time order. */
    public static final class Pairs {
        private final Tensor inputs;
        private final Tensor targets;
        private final int firstTarget;
        private final int stride;

        Pairs(Tensor inputs, Tensor targets, int firstTarget, int stride) {
            this.inputs = inputs;
            this.targets = targets;
            this.firstTarget = firstTarget;
            this.stride = stride;
        }

        /** The windows, {@code (N, window, F)}. */
        public Tensor inputs() {
            return inputs;
        }

        /** The targets, {@code (N, k)}. */
        public Tensor targets() {
            return targets;
        }

        /** The number of pairs. */
        public int size() {
            return inputs.size(0);
        }

        /** The time step (row of the series) that pair {@code i}'s target was taken from. */
        public int targetIndex(int i) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("pair " + i + " of " + size());
            }
            return firstTarget + i * stride;
        }

        /** {@code new TensorDataset(inputs, targets)}. */
        public TensorDataset dataset() {
            return new TensorDataset(inputs, targets);
        }
    }
}
