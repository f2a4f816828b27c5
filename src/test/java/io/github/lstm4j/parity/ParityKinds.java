package io.github.lstm4j.parity;

import java.util.Map;

/** The fixture kinds this build implements, each with its runner. */
public final class ParityKinds {

    private static final Map<String, ParityKind> KINDS = Map.of(
        "linear", new LinearCase(),
        "mse_loss", new MseLossCase());

    private ParityKinds() {
    }

    /** The runner for {@code kind}, or null when that kind is not implemented yet. */
    public static ParityKind forKind(String kind) {
        return KINDS.get(kind);
    }
}
