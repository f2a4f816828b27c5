package io.github.lstm4j.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The hyperparameters to search, in declaration order.
 *
 * <pre>{@code
 * SearchSpace space = new SearchSpace()
 *     .choice("hiddenSize", 32, 50, 64, 128)
 *     .intRange("layers", 1, 3)
 *     .uniform("dropout", 0, 0.5)
 *     .logUniform("lr", 1e-4, 1e-2)
 *     .fixed("epochs", 100);
 * }</pre>
 *
 * Every method validates its bounds and throws {@link IllegalArgumentException} naming the
 * parameter; a name may be declared once.
 */
public final class SearchSpace {

    private final Map<String, Dimension> dims = new LinkedHashMap<>();

    /** An empty space. */
    public SearchSpace() {
    }

    /** A categorical parameter taking one of {@code values} (compared with {@code equals}). */
    public SearchSpace choice(String name, Object... values) {
        return add(new Dimension.Choice(name, values == null ? null : Arrays.asList(values)));
    }

    /** An integer parameter in {@code [low, high]}, inclusive, uniform. */
    public SearchSpace intRange(String name, int low, int high) {
        return add(new Dimension.IntRange(name, low, high, false));
    }

    /** An integer parameter in {@code [low, high]}, inclusive, uniform in log scale ({@code low >= 1}). */
    public SearchSpace logIntRange(String name, int low, int high) {
        return add(new Dimension.IntRange(name, low, high, true));
    }

    /** A real parameter uniform in {@code [low, high]}. */
    public SearchSpace uniform(String name, double low, double high) {
        return add(new Dimension.FloatRange(name, low, high, false));
    }

    /** A real parameter whose logarithm is uniform in {@code [log low, log high]}; for learning rates ({@code low > 0}). */
    public SearchSpace logUniform(String name, double low, double high) {
        return add(new Dimension.FloatRange(name, low, high, true));
    }

    /** A parameter that keeps one value; recorded with every trial. */
    public SearchSpace fixed(String name, Object value) {
        return add(new Dimension.Fixed(name, value));
    }

    /** Adds a dimension built elsewhere. */
    public SearchSpace add(Dimension dim) {
        if (dims.containsKey(dim.name())) {
            throw new IllegalArgumentException("search space already has a parameter named '" + dim.name() + "'");
        }
        dims.put(dim.name(), dim);
        return this;
    }

    /** The dimensions in declaration order. */
    public List<Dimension> dimensions() {
        return Collections.unmodifiableList(new ArrayList<>(dims.values()));
    }

    /** The names in declaration order. */
    public List<String> names() {
        return List.copyOf(dims.keySet());
    }

    /** The dimension called {@code name}. */
    public Dimension dimension(String name) {
        Dimension d = dims.get(name);
        if (d == null) {
            throw new IllegalArgumentException("search space has no parameter '" + name + "'; it has " + dims.keySet());
        }
        return d;
    }

    /** The number of parameters. */
    public int size() {
        return dims.size();
    }

    /** One point drawn uniformly (log-uniformly on log scales) from every dimension, in order. */
    public Params sample(SplittableRandom rng) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Dimension d : dims.values()) {
            values.put(d.name(), d.sample(rng));
        }
        return new Params(values);
    }

    /**
     * Checks that {@code values} assigns every parameter a value inside its dimension and nothing else.
     *
     * @return the values in declaration order and canonical types
     */
    public Params params(Map<String, ?> values) {
        for (String k : values.keySet()) {
            if (!dims.containsKey(k)) {
                throw new IllegalArgumentException("search space has no parameter '" + k + "'; it has " + dims.keySet());
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (Dimension d : dims.values()) {
            if (!values.containsKey(d.name())) {
                throw new IllegalArgumentException("no value for parameter '" + d.name() + "'");
            }
            ordered.put(d.name(), d.validate(values.get(d.name())));
        }
        return new Params(ordered);
    }

    @Override
    public String toString() {
        return "SearchSpace" + dims.values();
    }

    static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a non-blank name, got '" + name + "'");
        }
    }
}
