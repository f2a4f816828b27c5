package io.github.lstm4j.data;

import io.github.lstm4j.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A small reader for comma-separated files of numbers, such as {@code ../shared/data/*.csv}: a
 * header line of column names, then one row per line. Fields may be quoted with {@code "}
 * ({@code ""} inside quotes is a quote); blank lines are skipped; a UTF-8 byte-order mark and
 * {@code \r\n} line ends are accepted.
 *
 * <p>The file is read as text; a column is parsed when asked for, so a file may hold text columns
 * (dates such as {@code 1949-01}) next to the numeric ones you read. A value that is not a
 * decimal number ({@code 12}, {@code -3.5}, {@code 1e-3}, {@code NaN}) is reported with the file,
 * line (1-based, counting the header) and column:
 * {@code airpassengers.csv line 7, column 2 ("passengers"): "12x" is not a number}. Empty cells
 * are errors too unless a fill value is given ({@link #column(String, float)}).
 *
 * <pre>{@code
 * Csv csv = Csv.read(Path.of("../shared/data/airpassengers.csv"));
 * float[] passengers = csv.column("passengers");
 * float[] co2 = Csv.read(Path.of("../shared/data/co2.csv")).column("co2", Float.NaN);  // 59 gaps
 * }</pre>
 */
public final class Csv {

    private static final Pattern NUMBER = Pattern.compile(
        "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?(?i:nan|inf|infinity)");

    private final String source;
    private final List<String> header;
    private final List<String[]> rows;
    private final int[] lineNumbers;

    private Csv(String source, List<String> header, List<String[]> rows, int[] lineNumbers) {
        this.source = source;
        this.header = header;
        this.rows = rows;
        this.lineNumbers = lineNumbers;
    }

    /**
     * Reads {@code file} (UTF-8), whose first non-blank line is the header.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException for an empty file, a row whose field count differs from
     *     the header's, an unterminated quote, or a duplicate column name (naming file and line)
     */
    public static Csv read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses CSV {@code text}; {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException as {@link #read}
     */
    public static Csv parse(String source, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n|\r", -1);
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = split(lines[i], source, i + 1);
            if (header == null) {
                header = List.of(fields);
                for (int a = 0; a < fields.length; a++) {
                    for (int b = 0; b < a; b++) {
                        if (fields[a].equals(fields[b])) {
                            throw new IllegalArgumentException(source + " line " + (i + 1) + ": duplicate column name \""
                                + fields[a] + "\" (columns " + (b + 1) + " and " + (a + 1) + ")");
                        }
                    }
                }
                continue;
            }
            if (fields.length != header.size()) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected " + header.size()
                    + " fields as in the header " + header + ", got " + fields.length);
            }
            rows.add(fields);
            numbers.add(i + 1);
        }
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file, expected a header line of column names");
        }
        int[] lineNumbers = numbers.stream().mapToInt(Integer::intValue).toArray();
        return new Csv(source, header, Collections.unmodifiableList(rows), lineNumbers);
    }

    private static String[] split(String line, String source, int lineNumber) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    sb.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(sb.toString().trim());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(source + " line " + lineNumber + ": unterminated quoted field");
        }
        out.add(sb.toString().trim());
        return out.toArray(new String[0]);
    }

    /** The column names, in file order. */
    public List<String> header() {
        return header;
    }

    /** The number of data rows (the header excluded). */
    public int rows() {
        return rows.size();
    }

    /** The raw text of a column (e.g. dates). */
    public String[] strings(String name) {
        int c = index(name);
        String[] out = new String[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.get(r)[c];
        }
        return out;
    }

    /**
     * The column named {@code name} as numbers.
     *
     * @throws IllegalArgumentException for an unknown name (listing the columns), or an empty or
     *     non-numeric cell (naming file, line and column)
     */
    public float[] column(String name) {
        return parseColumn(index(name), false, 0f);
    }

    /** Column {@code index} (0-based) as numbers; errors as {@link #column(String)}. */
    public float[] column(int index) {
        if (index < 0 || index >= header.size()) {
            throw new IllegalArgumentException(source + ": column index " + index + " out of range; the file has "
                + header.size() + " columns " + header);
        }
        return parseColumn(index, false, 0f);
    }

    /**
     * The column named {@code name} as numbers, with {@code missing} (for example
     * {@code Float.NaN}) for empty cells.
     */
    public float[] column(String name, float missing) {
        return parseColumn(index(name), true, missing);
    }

    /**
     * The named columns side by side, {@code (rows, names.length)}.
     *
     * @throws IllegalArgumentException as {@link #column(String)}
     */
    public Tensor tensor(String... names) {
        int n = rows.size();
        float[] d = new float[n * names.length];
        for (int j = 0; j < names.length; j++) {
            float[] col = column(names[j]);
            for (int r = 0; r < n; r++) {
                d[r * names.length + j] = col[r];
            }
        }
        return Tensor.wrap(d, n, names.length);
    }

    private int index(String name) {
        int c = header.indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException(source + ": no column \"" + name + "\"; the columns are " + header);
        }
        return c;
    }

    private float[] parseColumn(int c, boolean fillMissing, float missing) {
        float[] out = new float[rows.size()];
        for (int r = 0; r < out.length; r++) {
            String v = rows.get(r)[c];
            if (v.isEmpty()) {
                if (!fillMissing) {
                    throw bad(r, c, "is empty (pass a fill value such as Float.NaN to accept missing values)");
                }
                out[r] = missing;
            } else if (!NUMBER.matcher(v).matches()) {
                throw bad(r, c, "\"" + v + "\" is not a number");
            } else {
                out[r] = parse(v);
            }
        }
        return out;
    }

    private static float parse(String v) {
        String s = v.toLowerCase(java.util.Locale.ROOT);
        boolean negative = s.startsWith("-");
        String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        if (body.equals("nan")) {
            return Float.NaN;
        }
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        return Float.parseFloat(v);
    }

    private IllegalArgumentException bad(int row, int c, String what) {
        return new IllegalArgumentException(source + " line " + lineNumbers[row] + ", column " + (c + 1) + " (\""
            + header.get(c) + "\"): " + what);
    }

    @Override
    public String toString() {
        return "Csv(" + source + ", " + rows.size() + " rows, columns " + header + ")";
    }
}
