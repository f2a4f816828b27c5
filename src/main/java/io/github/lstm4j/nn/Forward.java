package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/**
 * A module (or any function) from one tensor to one tensor: what {@link Sequential} chains and
 * what a training loop calls. Recurrent layers, whose forward also takes and returns state,
 * do not implement it; wrap them in a module of your own, as the tutorial's {@code LSTMModel} does.
 */
@FunctionalInterface
public interface Forward {

    /** Computes the output for {@code input}. */
    Tensor forward(Tensor input);
}
