package io.github.lstm4j.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the scalar state of optimizers and schedulers as strings that decode to the same bits:
 * doubles through {@link Double#toString(double)} (shortest exact form; {@code Infinity},
 * {@code NaN} included), booleans as {@code true}/{@code false}, lists as {@code [a, b]}.
 */
final class StateValues {

    private StateValues() {
    }

    static String encode(Object v) {
        if (v instanceof Double || v instanceof Boolean || v instanceof Integer || v instanceof Long
            || v instanceof String) {
            return v.toString();
        }
        if (v instanceof double[]) {
            return encode((double[]) v);
        }
        throw new IllegalArgumentException("cannot encode a " + (v == null ? "null" : v.getClass().getSimpleName())
            + " as a state value");
    }

    static String encode(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values[i]);
        }
        return sb.append(']').toString();
    }

    static String encode(int[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values[i]);
        }
        return sb.append(']').toString();
    }

    /** A hyperparameter: {@code true}/{@code false} as Boolean, {@code [..]} as double[], else Double. */
    static Object decodeHyperparameter(String key, String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        if (s.startsWith("[")) {
            return doubles(key, s);
        }
        return number(key, s);
    }

    static double number(String key, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("state value '" + key + "' is not a number: \"" + s + "\"", e);
        }
    }

    static int integer(String key, String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("state value '" + key + "' is not an integer: \"" + s + "\"", e);
        }
    }

    static double[] doubles(String key, String s) {
        List<String> parts = items(key, s);
        double[] out = new double[parts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(key, parts.get(i));
        }
        return out;
    }

    static int[] integers(String key, String s) {
        List<String> parts = items(key, s);
        int[] out = new int[parts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(key, parts.get(i));
        }
        return out;
    }

    private static List<String> items(String key, String s) {
        String t = s.trim();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new IllegalArgumentException("state value '" + key + "' is not a list like [1, 2]: \"" + s + "\"");
        }
        String inner = t.substring(1, t.length() - 1).trim();
        List<String> out = new ArrayList<>();
        if (!inner.isEmpty()) {
            for (String p : inner.split(",")) {
                out.add(p.trim());
            }
        }
        return out;
    }
}
