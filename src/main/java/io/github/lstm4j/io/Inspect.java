package io.github.lstm4j.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Command-line inspector: prints the tensors (name, dtype, shape, byte count) and metadata of
 * safetensors files, reading only their headers.
 *
 * <pre>
 * java io.github.lstm4j.io.Inspect FILE...
 * </pre>
 *
 * <p>A file that cannot be read or is rejected gets exactly one line {@code FILE: error: MESSAGE}
 * on standard error and the next file is still inspected. The exit status is 0 if every file was
 * valid and 2 otherwise (also when no file is given).
 */
public final class Inspect {

    /** Exit status when some file was missing, unreadable or malformed. */
    static final int REJECTED = 2;

    private static final int MAX_NAME = 200;
    private static final int MAX_VALUE = 2000;

    private Inspect() {
    }

    /**
     * Runs {@link #run} on the real console and exits with its status.
     *
     * @param args the files to inspect
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Inspects each file in turn; never throws and never prints a stack trace.
     *
     * @param args the files to inspect
     * @param out  where the listings go
     * @param err  where the one-line errors go
     * @return 0 if every file was valid, 2 if any was rejected or no file was given
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args == null || args.length == 0) {
            err.println("usage: java " + Inspect.class.getName() + " FILE...");
            return REJECTED;
        }
        int status = 0;
        for (String arg : args) {
            String shown = Json.printable(String.valueOf(arg), MAX_VALUE);
            String problem;
            try {
                SafetensorsHeader header = inspect(arg);
                print(shown, header, out);
                continue;
            } catch (NoSuchFileException e) {
                problem = "no such file";
            } catch (AccessDeniedException e) {
                problem = "permission denied";
            } catch (SafetensorsException e) {
                problem = e.getMessage();
            } catch (IOException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } catch (OutOfMemoryError e) {
                problem = "not enough memory to read the header";
            } catch (RuntimeException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            err.println(shown + ": error: " + Json.printable(problem, MAX_VALUE));
            status = REJECTED;
        }
        return status;
    }

    private static SafetensorsHeader inspect(String arg) throws IOException {
        if (arg == null) {
            throw new NoSuchFileException("null");
        }
        Path file = Path.of(arg);
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory");
        }
        return Safetensors.readHeader(file);
    }

    private static void print(String shown, SafetensorsHeader header, PrintStream out) {
        out.println(shown + ": " + header.tensors().size() + " tensors, " + header.dataLength()
                + " data bytes, " + header.headerLength() + " header bytes");
        int width = 0;
        for (String name : header.tensors().keySet()) {
            width = Math.max(width, Math.min(Json.printable(name, MAX_NAME).length(), 60));
        }
        for (SafetensorsHeader.TensorInfo t : header.tensors().values()) {
            out.println(String.format("  %-" + Math.max(width, 1) + "s  %-3s  %-16s  %d bytes",
                    Json.printable(t.name(), MAX_NAME), t.dtype(), SafetensorsHeader.shapeText(t.shape()),
                    t.byteCount()));
        }
        if (!header.metadata().isEmpty()) {
            out.println("  metadata:");
            for (Map.Entry<String, String> e : header.metadata().entrySet()) {
                out.println("    " + Json.printable(e.getKey(), MAX_NAME) + " = "
                        + Json.printable(e.getValue(), MAX_VALUE));
            }
        }
    }
}
