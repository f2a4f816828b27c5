package io.github.lstm4j.autograd;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;

/**
 * Anomaly detection for autograd, like {@code torch.autograd.set_detect_anomaly(True)}: while it
 * is on, every recorded operation checks its forward result when it is created, and the
 * {@link Engine} checks every gradient a node's backward returns. The first NaN or infinity
 * raises an {@link AnomalyException} naming the operation ({@code LogBackward},
 * {@code LstmBackward}...), the phase, the output or input index, the shape and the flat index
 * of the first bad element. A backward failure carries, as its cause, the stack trace of the
 * forward call that created the failing node.
 *
 * <pre>{@code
 * try (Anomaly.Scope ignored = Anomaly.detect()) {
 *     Tensor loss = criterion.forward(model.forward(x), y);   // forward results checked
 *     loss.backward();                                       // every gradient checked
 * }
 * }</pre>
 *
 * <p><b>Per thread.</b> Like {@link GradMode}, the switch belongs to the calling thread (PyTorch's
 * flag is process-wide): turning it on to debug one training loop does not slow down inference
 * on other threads. {@link #enable()} and {@link #disable()} set it for the current thread;
 * {@link #detect()} turns it on until the returned scope is closed and then restores the previous
 * setting. Off by default.
 *
 * <p><b>What is checked.</b> Only operations that record history: those run with grad mode on
 * and an input that requires a gradient, i.e. everything {@code backward} will go through. Ops
 * under {@code noGrad}, and views (reshape, squeeze), which cannot create new values, are not
 * checked. A non-finite value that enters from outside (a NaN in the input data) is reported at
 * the first recorded op that reads it. Gradients are checked as each node returns them, before
 * they are added to other gradients; after an exception in backward some leaves may already hold
 * partial gradients, so call {@code zeroGrad()} before retrying.
 *
 * <p><b>Cost.</b> When no thread has it on, the hot paths read one static field. When on, every
 * element of every recorded result and gradient is scanned, and every node keeps the stack trace
 * of its creation: use it to find a bug, not in production.
 */
public final class Anomaly {

    /** How many threads have it on: the one field the hot paths read when it is off everywhere. */
    private static volatile int threadsEnabled;

    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[1]);

    private Anomaly() {
    }

    /** Where a non-finite value appeared. */
    public enum Phase {
        /** In an operation's result, as it was created. */
        FORWARD,
        /** In a gradient returned by an operation's backward. */
        BACKWARD
    }

    /** Turns anomaly detection on for the current thread until {@link #disable()}. */
    public static void enable() {
        set(true);
    }

    /** Turns anomaly detection off for the current thread. */
    public static void disable() {
        set(false);
    }

    /** Whether anomaly detection is on for the current thread. */
    public static boolean isEnabled() {
        return on();
    }

    /**
     * Sets anomaly detection for the current thread.
     *
     * @return the previous setting
     */
    public static boolean set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean old = cell[0];
        if (old != enabled) {
            cell[0] = enabled;
            synchronized (Anomaly.class) {
                threadsEnabled += enabled ? 1 : -1;
            }
        }
        return old;
    }

    /**
     * Turns anomaly detection on for the current thread until the returned scope is closed, like
     * {@code with torch.autograd.detect_anomaly():}.
     */
    public static Scope detect() {
        return new Scope(set(true));
    }

    /** Restores the previous anomaly setting of its thread when closed. */
    public static final class Scope implements AutoCloseable {

        private final boolean previous;
        private boolean closed;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                set(previous);
            }
        }
    }

    // ------------------------------------------------------------------ called by Node and Engine

    /** Whether detection is on for this thread: when no thread has it on, one read of a static field. */
    static boolean on() {
        return threadsEnabled != 0 && ENABLED.get()[0];
    }

    /**
     * What a node keeps while detection is on: the stack trace of its creation (the cause of a
     * backward anomaly) and its inputs' shapes (for the message).
     */
    static final class ForwardTrace extends Throwable {

        private static final long serialVersionUID = 1L;

        private final int[][] inputShapes;

        private ForwardTrace(int[][] inputShapes) {
            super("the forward call that created the node");
            this.inputShapes = inputShapes;
        }
    }

    /** The record to keep in a new node with these inputs (call only when {@link #on()}). */
    static ForwardTrace record(Tensor[] inputs) {
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i] == null ? null : inputs[i].shape();
        }
        return new ForwardTrace(shapes);
    }

    /** Checks forward result {@code index} of {@code node} (call only when {@link #on()}). */
    static void checkForward(Node node, int index, float[] data, int[] shape) {
        int at = firstNonFinite(data);
        if (at >= 0) {
            throw new AnomalyException(node.name(), Phase.FORWARD, index, shape.clone(), at, data[at], null);
        }
    }

    /** Checks the input gradients {@code node}'s backward returned (call only when {@link #on()}). */
    static void checkBackward(Node node, float[][] gradInputs) {
        for (int i = 0; i < gradInputs.length; i++) {
            float[] g = gradInputs[i];
            if (g == null || !node.needsGrad[i]) {
                continue;
            }
            int at = firstNonFinite(g);
            if (at >= 0) {
                ForwardTrace trace = node.anomaly;
                int[] shape = trace != null ? trace.inputShapes[i]
                    : node.inputLeaves[i] != null ? node.inputLeaves[i].shape() : null;
                throw new AnomalyException(node.name(), Phase.BACKWARD, i, shape, at, g[at], trace);
            }
        }
    }

    private static int firstNonFinite(float[] d) {
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first NaN or infinity found by anomaly detection. Its message reads, for example,
     * {@code LogBackward: backward returned NaN in the gradient of input 0 (shape [2, 3]) at flat
     * index 4; the cause is the forward call that created LogBackward}.
     */
    public static final class AnomalyException extends ArithmeticException {

        private static final long serialVersionUID = 1L;

        private final String op;
        private final Phase phase;
        private final int index;
        private final int[] shape;
        private final int flatIndex;
        private final float value;

        AnomalyException(String op, Phase phase, int index, int[] shape, int flatIndex, float value, Throwable trace) {
            super(message(op, phase, index, shape, flatIndex, value, trace != null));
            this.op = op;
            this.phase = phase;
            this.index = index;
            this.shape = shape;
            this.flatIndex = flatIndex;
            this.value = value;
            if (trace != null) {
                initCause(trace);
            }
        }

        private static String message(String op, Phase phase, int index, int[] shape, int flatIndex, float value,
                                      boolean traced) {
            String what = Float.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
            String where = (shape == null ? "" : " (shape " + Shape.format(shape) + ")") + " at flat index " + flatIndex;
            if (phase == Phase.FORWARD) {
                return op + ": forward produced " + what + " in output " + index + where;
            }
            return op + ": backward returned " + what + " in the gradient of input " + index + where
                + (traced ? "; the cause is the forward call that created " + op : "");
        }

        /** The operation's name, as in {@code grad_fn=<LogBackward>}. */
        public String op() {
            return op;
        }

        /** Whether the value appeared in a forward result or a gradient. */
        public Phase phase() {
            return phase;
        }

        /** The output index (forward) or input index (backward) that held the value. */
        public int index() {
            return index;
        }

        /** The shape of that output or input (a copy), or null when it is not known. */
        public int[] shape() {
            return shape == null ? null : shape.clone();
        }

        /** The row-major position of the first non-finite element. */
        public int flatIndex() {
            return flatIndex;
        }

        /** The first non-finite value: NaN or an infinity. */
        public float value() {
            return value;
        }
    }
}
