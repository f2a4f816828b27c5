package io.github.lstm4j.examples;

/**
 * Lists the tensors (name, dtype, shape, byte count) and metadata of safetensors files: the
 * library's {@link io.github.lstm4j.io.Inspect} tool behind {@code examples/run}.
 *
 * <pre>examples/run Inspect FILE...</pre>
 * A file that is missing or malformed gets one line {@code FILE: error: MESSAGE} on standard error
 * and the next file is still read. The exit status is 0 when every file was valid and 2 otherwise.
 */
public final class Inspect {

    private Inspect() {
    }

    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Inspects the files on the console and returns the exit status (0 or 2) without exiting. */
    static int run(String... args) {
        return io.github.lstm4j.io.Inspect.run(args, System.out, System.err);
    }
}
