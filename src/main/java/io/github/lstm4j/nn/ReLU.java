package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/** {@code max(x, 0)} elementwise, like {@code nn.ReLU}. Any shape in, same shape out. */
public class ReLU extends Module implements Forward {
    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
