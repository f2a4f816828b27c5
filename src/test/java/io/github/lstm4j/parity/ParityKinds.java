package io.github.lstm4j.parity;

import java.lang.reflect.Constructor;

/**
 * Finds the runner of a fixture kind by naming convention: kind {@code lstm_packed} is run by the
 * class {@code io.github.lstm4j.parity.LstmPackedCase}, {@code linear} by {@code LinearCase}, so
 * adding a kind means adding one class.
 */
public final class ParityKinds {

    private ParityKinds() {
    }

    /** The class name that runs {@code kind}: snake_case to CamelCase plus "Case". */
    public static String className(String kind) {
        StringBuilder sb = new StringBuilder(ParityKinds.class.getPackageName()).append('.');
        for (String part : kind.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Case").toString();
    }

    /** The runner for {@code kind}, or null when no class implements that kind yet. */
    public static ParityKind forKind(String kind) {
        if (kind == null || !kind.matches("[a-z0-9_]+")) {
            return null;
        }
        try {
            Class<?> c = Class.forName(className(kind));
            Constructor<?> ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            return (ParityKind) ctor.newInstance();
        } catch (ClassNotFoundException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + className(kind), e);
        }
    }
}
