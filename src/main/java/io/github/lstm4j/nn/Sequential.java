package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs modules one after another, like {@code nn.Sequential}; children are named {@code "0"},
 * {@code "1"}, ... so state-dict keys read {@code 0.weight}, {@code 2.bias} as in PyTorch.
 */
public class Sequential extends Module implements Forward {

    private final List<Forward> steps = new ArrayList<>();

    /** A sequence of modules, each of which must implement {@link Forward}. */
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /**
     * Appends a module; returns this.
     *
     * @throws IllegalArgumentException when the module does not take and return a single tensor
     */
    public Sequential add(Module module) {
        if (!(module instanceof Forward)) {
            throw new IllegalArgumentException("Sequential needs modules that implement Forward (one tensor in, one out); "
                + module.getClass().getSimpleName() + " does not");
        }
        registerModule(String.valueOf(steps.size()), module);
        steps.add((Forward) module);
        return this;
    }

    /** The number of modules. */
    public int size() {
        return steps.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Forward f : steps) {
            x = f.forward(x);
        }
        return x;
    }
}
