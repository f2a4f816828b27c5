package io.github.lstm4j.parity;

/** Runs the reference cases of one fixture {@code kind}; throws an AssertionError on a mismatch. */
@FunctionalInterface
public interface ParityKind {

    /** Builds everything from the fixture's config, runs it and compares every output and gradient. */
    void run(Fixture fixture) throws Exception;
}
