package io.github.lstm4j.io;

import java.io.IOException;

/**
 * Thrown when the content of a safetensors file is malformed or hostile: a header length larger
 * than the file, a header that is not valid UTF-8 or not a JSON object of the expected shape, an
 * unsupported dtype, offsets that leave gaps, overlap or run past the data buffer, or a byte count
 * that does not match {@code product(shape) * dtype size}.
 *
 * <p>This is the only exception the readers in this package throw for bad file <em>content</em>;
 * plain {@link IOException}s still report problems reaching the file (missing, unreadable). The
 * message names the problem with specifics (tensor name, offsets, expected and actual byte counts).
 */
public final class SafetensorsException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with the given message.
     *
     * @param message what is wrong with the file, with specifics
     */
    public SafetensorsException(String message) {
        super(message);
    }

    /**
     * Creates an exception with the given message and cause.
     *
     * @param message what is wrong with the file, with specifics
     * @param cause   the lower-level problem, if any
     */
    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
