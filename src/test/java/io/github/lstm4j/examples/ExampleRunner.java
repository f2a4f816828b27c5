package io.github.lstm4j.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Runs an example's main with its stdout captured, for the smoke tests. */
final class ExampleRunner {

    private ExampleRunner() {
    }

    /** The lines the main printed. */
    static synchronized String[] run(Consumer<String[]> main, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            main.accept(args);
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8).split("\\R");
    }
}
