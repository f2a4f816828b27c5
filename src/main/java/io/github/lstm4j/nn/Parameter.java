package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/**
 * A tensor that is a module's learnable parameter, like {@code torch.nn.Parameter}: a leaf that
 * requires gradients, found by {@link Module#parameters()} once registered.
 */
public final class Parameter extends Tensor {

    /** A parameter sharing {@code data}'s values (detached from any history), requiring gradients. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    /** A parameter sharing {@code data}'s values, with the given {@code requiresGrad}. */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        requiresGrad_(requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
