package io.github.lstm4j.tune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One trial's hyperparameter values, by name, in the search space's order. Immutable.
 *
 * <pre>{@code
 * int hidden = params.getInt("hiddenSize");
 * double lr = params.getDouble("lr");
 * }</pre>
 */
public final class Params {

    private final Map<String, Object> values;

    Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parameters from a map, unchecked against any space (for tests and hand-made configurations). */
    public static Params of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, () -> "value of " + k)));
        return new Params(copy);
    }

    /** The value of {@code name} as it was declared (an {@code Integer}, {@code Double}, {@code String}...). */
    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'; parameters are " + values.keySet());
        }
        return v;
    }

    /** The value of {@code name}, which must be an integer (an {@code Integer}, or a {@code Long} within range). */
    public int getInt(String name) {
        Object v = get(name);
        if (v instanceof Integer || v instanceof Short || v instanceof Byte
            || v instanceof Long && (Long) v == ((Long) v).intValue()) {
            return ((Number) v).intValue();
        }
        throw new IllegalArgumentException("parameter '" + name + "' is " + v + " (" + v.getClass().getSimpleName()
            + "), not an int");
    }

    /** The value of {@code name}, which must be a number. */
    public double getDouble(String name) {
        Object v = get(name);
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException("parameter '" + name + "' is " + v + " (" + v.getClass().getSimpleName()
            + "), not a number");
    }

    /** The value of {@code name} as text ({@code toString()}). */
    public String getString(String name) {
        return String.valueOf(get(name));
    }

    /** The value of {@code name}, which must be a {@code Boolean}. */
    public boolean getBoolean(String name) {
        Object v = get(name);
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new IllegalArgumentException("parameter '" + name + "' is " + v + ", not a boolean");
    }

    /** True when a value is named {@code name}. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The values, read-only, in order. */
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params && ((Params) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** {@code {hiddenSize=64, lr=0.00123}}, doubles with 4 significant digits. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append('=').append(format(v));
        });
        return sb.append('}').toString();
    }

    static String format(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return String.format(Locale.ROOT, "%.4g", d).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
        }
        return String.valueOf(v);
    }
}
