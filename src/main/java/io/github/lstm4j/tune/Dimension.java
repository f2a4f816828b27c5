package io.github.lstm4j.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One named hyperparameter of a {@link SearchSpace}: a categorical choice, an integer range, a
 * float range (either optionally on a log scale) or a fixed value. Built through the
 * {@code SearchSpace} methods, which validate the bounds.
 *
 * <p>Numeric dimensions have an internal coordinate in which they are uniform when sampled at
 * random: the value itself, or its logarithm on a log scale; an integer {@code k} covers
 * {@code [k - 0.5, k + 0.5]} of that coordinate so that rounding gives every integer its share.
 * Model-based strategies work in that coordinate.
 */
public sealed interface Dimension {

    /** The parameter's name. */
    String name();

    /** A value drawn uniformly (in the internal coordinate) from the dimension. */
    Object sample(SplittableRandom rng);

    /**
     * Every value a grid search visits, in order.
     *
     * @throws IllegalArgumentException for a float range, which has no natural grid
     */
    List<Object> gridValues();

    /**
     * Checks that {@code value} belongs to the dimension.
     *
     * @return the value in its canonical type (an {@code Integer} for an integer range, a
     *     {@code Double} for a float range)
     * @throws IllegalArgumentException naming the dimension, its bounds and the value otherwise
     */
    Object validate(Object value);

    /** A categorical choice among listed values. */
    record Choice(String name, List<Object> values) implements Dimension {

        public Choice {
            SearchSpace.checkName(name);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("choice '" + name + "' needs at least one value");
            }
            if (values.contains(null)) {
                throw new IllegalArgumentException("choice '" + name + "' has a null value: " + values);
            }
            if (new HashSet<>(values).size() != values.size()) {
                throw new IllegalArgumentException("choice '" + name + "' lists a value twice: " + values);
            }
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        @Override
        public Object sample(SplittableRandom rng) {
            return values.get(rng.nextInt(values.size()));
        }

        @Override
        public List<Object> gridValues() {
            return values;
        }

        @Override
        public Object validate(Object value) {
            int i = values.indexOf(value);
            if (i < 0) {
                throw new IllegalArgumentException("choice '" + name + "' has no value " + value + "; choices are " + values);
            }
            return values.get(i);
        }

        /** The position of {@code value} among the choices. */
        int indexOf(Object value) {
            return values.indexOf(validate(value));
        }
    }

    /** Integers from {@code low} to {@code high} inclusive, optionally uniform in log scale. */
    record IntRange(String name, int low, int high, boolean log) implements Dimension {

        public IntRange {
            SearchSpace.checkName(name);
            if (low > high) {
                throw new IllegalArgumentException("intRange '" + name + "': low " + low + " must be <= high " + high);
            }
            if (log && low < 1) {
                throw new IllegalArgumentException("logIntRange '" + name + "': low " + low + " must be >= 1");
            }
        }

        @Override
        public Object sample(SplittableRandom rng) {
            return fromInternal(internalLow() + rng.nextDouble() * (internalHigh() - internalLow()));
        }

        @Override
        public List<Object> gridValues() {
            List<Object> all = new ArrayList<>();
            for (int k = low; k <= high; k++) {
                all.add(k);
            }
            return all;
        }

        @Override
        public Object validate(Object value) {
            if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
                throw new IllegalArgumentException("intRange '" + name + "' expects an integer, got " + value
                    + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")"));
            }
            long k = ((Number) value).longValue();
            if (k < low || k > high) {
                throw new IllegalArgumentException("intRange '" + name + "': " + k + " is outside [" + low + ", " + high + "]");
            }
            return (int) k;
        }

        double internalLow() {
            return log ? Math.log(low - 0.5) : low - 0.5;
        }

        double internalHigh() {
            return log ? Math.log(high + 0.5) : high + 0.5;
        }

        double toInternal(Object value) {
            int k = (Integer) validate(value);
            return log ? Math.log(k) : k;
        }

        Integer fromInternal(double x) {
            long k = Math.round(log ? Math.exp(x) : x);
            return (int) Math.max(low, Math.min(high, k));
        }
    }

    /** Reals from {@code low} to {@code high}, optionally uniform in log scale. */
    record FloatRange(String name, double low, double high, boolean log) implements Dimension {

        public FloatRange {
            SearchSpace.checkName(name);
            String kind = log ? "logUniform" : "uniform";
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                throw new IllegalArgumentException(kind + " '" + name + "': bounds must be finite, got [" + low + ", " + high + "]");
            }
            if (!(low < high)) {
                throw new IllegalArgumentException(kind + " '" + name + "': low " + low + " must be < high " + high
                    + " (use fixed() for a single value)");
            }
            if (log && low <= 0) {
                throw new IllegalArgumentException(kind + " '" + name + "': low " + low + " must be > 0 on a log scale");
            }
        }

        @Override
        public Object sample(SplittableRandom rng) {
            return fromInternal(internalLow() + rng.nextDouble() * (internalHigh() - internalLow()));
        }

        @Override
        public List<Object> gridValues() {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                "grid search cannot enumerate the continuous range '%s' [%s, %s]; give it explicit values with "
                    + "GridSearch.values(\"%s\", ...) or declare it with choice()", name, low, high, name));
        }

        @Override
        public Object validate(Object value) {
            if (!(value instanceof Number)) {
                throw new IllegalArgumentException((log ? "logUniform '" : "uniform '") + name + "' expects a number, got " + value);
            }
            double x = ((Number) value).doubleValue();
            if (!(x >= low && x <= high)) {
                throw new IllegalArgumentException((log ? "logUniform '" : "uniform '") + name + "': " + x
                    + " is outside [" + low + ", " + high + "]");
            }
            return x;
        }

        double internalLow() {
            return log ? Math.log(low) : low;
        }

        double internalHigh() {
            return log ? Math.log(high) : high;
        }

        double toInternal(Object value) {
            double x = (Double) validate(value);
            return log ? Math.log(x) : x;
        }

        Double fromInternal(double x) {
            double v = log ? Math.exp(x) : x;
            return Math.max(low, Math.min(high, v));
        }
    }

    /** A value that is not searched but still recorded with every trial's parameters. */
    record Fixed(String name, Object value) implements Dimension {

        public Fixed {
            SearchSpace.checkName(name);
            if (value == null) {
                throw new IllegalArgumentException("fixed '" + name + "' needs a non-null value");
            }
        }

        @Override
        public Object sample(SplittableRandom rng) {
            return value;
        }

        @Override
        public List<Object> gridValues() {
            return List.of(value);
        }

        @Override
        public Object validate(Object v) {
            if (!value.equals(v)) {
                throw new IllegalArgumentException("fixed '" + name + "' is " + value + ", got " + v);
            }
            return value;
        }
    }
}
