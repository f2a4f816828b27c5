package io.github.lstm4j.autograd;

import io.github.lstm4j.Tensor;

/**
 * One recorded operation of the autograd graph: the {@code grad_fn} of the tensors it produced.
 *
 * <p>A subclass computes its forward result in a static {@code apply} method, keeps in fields
 * exactly what its {@link #backward} reads (decided from which inputs need gradients), and
 * implements {@link #backward} to return the gradient of every input from the gradients of its
 * outputs. The engine adds (never assigns) those gradients into the inputs; a node must treat
 * the arrays it receives as read-only and may return one of them unchanged.
 */
public abstract class Node {

    /** Where each input's gradient goes: its producing node or, for a leaf, the tensor itself. */
    final Node[] inputNodes;
    final int[] inputSlots;
    final Tensor[] inputLeaves;
    final boolean[] needsGrad;
    /** Creation trace and input shapes, kept only while {@link Anomaly} detection is on. */
    final Anomaly.ForwardTrace anomaly;
    private final int numOutputs;
    private boolean released;

    /**
     * Registers the inputs of this operation; those that do not require gradients get none.
     *
     * @param numOutputs how many tensors the operation produces
     * @param inputs the operation's tensor inputs, in the order {@link #backward} returns gradients
     */
    protected Node(int numOutputs, Tensor... inputs) {
        this.numOutputs = numOutputs;
        int n = inputs.length;
        inputNodes = new Node[n];
        inputSlots = new int[n];
        inputLeaves = new Tensor[n];
        needsGrad = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) {
                continue;
            }
            needsGrad[i] = true;
            if (t.gradFn() != null) {
                inputNodes[i] = t.gradFn();
                inputSlots[i] = t.outputIndex();
            } else {
                inputLeaves[i] = t;
            }
        }
        anomaly = Anomaly.on() ? Anomaly.record(inputs) : null;
    }

    /** A node with a single output. */
    protected Node(Tensor... inputs) {
        this(1, inputs);
    }

    /** True when any of the tensors requires a gradient and grad mode is on: record a node. */
    public static boolean isRecording(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Wraps forward result number 0 of this node as a tensor whose {@code gradFn} is this node. */
    public final Tensor output(float[] data, int[] shape) {
        return output(data, shape, 0);
    }

    /**
     * Wraps forward result number {@code index} of this node as a tensor whose {@code gradFn} is this node.
     *
     * @throws Anomaly.AnomalyException when {@link Anomaly} detection is on and {@code data} holds
     *     a NaN or infinity
     */
    public final Tensor output(float[] data, int[] shape, int index) {
        if (index < 0 || index >= numOutputs) {
            throw new IllegalArgumentException("output index " + index + " out of range for " + numOutputs + " outputs");
        }
        if (Anomaly.on()) {
            Anomaly.checkForward(this, index, data, shape);
        }
        return Tensor.fromNode(data, shape, this, index);
    }

    /** Whether input {@code i} needs a gradient; {@link #backward} may return null for it otherwise. */
    public final boolean needsGrad(int i) {
        return needsGrad[i];
    }

    /** How many outputs this node produced. */
    public final int numOutputs() {
        return numOutputs;
    }

    /**
     * Computes the inputs' gradients.
     *
     * @param gradOutputs one gradient per output, laid out like that output; null for an output
     *     that received no gradient (a single-output node always receives one)
     * @return one gradient per input, laid out like that input, or null where not needed
     */
    protected abstract float[][] backward(float[][] gradOutputs);

    /**
     * Whether every gradient {@link #backward} returns is a new array that nothing else refers to
     * (the node keeps no reference, returns no gradient it was given, and no array twice): the
     * engine may then make one a leaf's {@code grad} as it is instead of copying it, as PyTorch's
     * gradient accumulation takes a gradient nobody else holds. False unless a node says so.
     */
    protected boolean returnsNewGradients() {
        return false;
    }

    /**
     * Whether {@link #backward} neither keeps a reference to the gradient arrays it receives nor
     * returns one of them: the engine may then reuse those that nobody else refers to once
     * backward has returned. False unless a node says so.
     */
    protected boolean releasesGradOutputs() {
        return false;
    }

    /** Drops what forward saved, once backward no longer needs it. Subclasses null their fields. */
    protected void releaseSaved() {
    }

    /** The op's name as shown in {@code grad_fn=<...>}, e.g. {@code MulBackward}. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.endsWith("Backward") ? n : n + "Backward";
    }

    final float[][] runBackward(float[][] gradOutputs) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                + "saved tensors after they have already been freed): " + name() + " released its saved values after "
                + "the first backward. Call backward(gradient, true) the first time if you need to backward again.");
        }
        return backward(gradOutputs);
    }

    final void release() {
        released = true;
        releaseSaved();
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
