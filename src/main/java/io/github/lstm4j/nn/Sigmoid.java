package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;

/** {@code 1 / (1 + e^-x)} elementwise, like {@code nn.Sigmoid}. Any shape in, same shape out. */
public class Sigmoid extends Module implements Forward {
    @Override
    public Tensor forward(Tensor input) {
        return input.sigmoid();
    }
}
