package io.github.lstm4j.autograd;

import io.github.lstm4j.Tensor;

/**
 * A tensor kept by forward for backward, with the version it had then. Reading it after an
 * in-place change fails, like PyTorch's "modified by an inplace operation" check, instead of
 * silently computing a wrong gradient.
 */
public final class Saved {

    private final Tensor tensor;
    private final int version;
    private final String op;

    private Saved(Tensor tensor, String op) {
        this.tensor = tensor;
        this.version = tensor.version();
        this.op = op;
    }

    /** Saves {@code t} for the backward of the op named {@code op}. */
    public static Saved of(Tensor t, String op) {
        return new Saved(t, op);
    }

    /** The saved tensor's data, after checking it was not modified in place since. */
    public float[] data() {
        check();
        return tensor.data();
    }

    /** The saved tensor, after checking it was not modified in place since. */
    public Tensor tensor() {
        check();
        return tensor;
    }

    private void check() {
        if (tensor.version() != version) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified "
                + "by an inplace operation: a tensor of shape " + java.util.Arrays.toString(tensor.shape())
                + " saved by " + op + " is at version " + tensor.version() + "; expected version " + version);
        }
    }
}
