package io.github.lstm4j.parity;

import java.util.List;

/** Config readers the extra (loss and embedding) cases need beyond {@link Fixture}'s. */
final class ExtraConfig {

    private ExtraConfig() {
    }

    /** A float config value, or {@code dflt} when absent or null. */
    static float floatConfig(Fixture f, String key, float dflt) {
        Object v = f.config().get(key);
        return v instanceof Number ? ((Number) v).floatValue() : dflt;
    }

    /** A shape given as a JSON list of integers, or null when absent or null. */
    static int[] shapeConfig(Fixture f, String key) {
        Object v = f.config().get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(f.name() + ": config." + key + " must be a list of sizes or null, got " + v);
        }
        List<?> l = (List<?>) v;
        int[] shape = new int[l.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = ((Number) l.get(i)).intValue();
        }
        return shape;
    }
}
