package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/** {@code tanh(x)} elementwise, like {@code nn.Tanh}. Any shape in, same shape out. */
public class Tanh extends Module implements Forward {
    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
