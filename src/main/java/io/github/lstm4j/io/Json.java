package io.github.lstm4j.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A small strict JSON pull reader over UTF-8 bytes, plus the string helpers the writer and the
 * error messages need.
 *
 * <p>The reader never recurses and never builds a document tree: the caller walks the structure it
 * expects ({@link SafetensorsHeader} knows the safetensors schema, whose nesting is at most three
 * levels deep) and anything else is reported as an error at the first unexpected token. Deeply
 * nested input therefore fails on its second or third bracket, with no stack or memory cost. Only
 * the JSON needed by the schema is accepted: objects, arrays, strings and non-negative integers;
 * {@code true}, {@code false}, {@code null} and fractional numbers are always schema errors.
 *
 * <p>Positions in messages are byte offsets from the start of the header.
 */
final class Json {

    /** Longest piece of file-controlled text copied into an error message. */
    private static final int MAX_QUOTED = 80;

    private final byte[] buf;
    private final int start;
    private final int end;
    private int pos;

    /**
     * Reads {@code buf[start, end)}, which the caller has already checked to be valid UTF-8 with
     * {@link #checkUtf8}.
     */
    Json(byte[] buf, int start, int end) {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.pos = start;
    }

    // ---------------------------------------------------------------------------------------------
    // validation of the encoding

    /**
     * Checks that {@code buf[start, end)} is well-formed UTF-8 (no overlong forms, no encoded
     * surrogates), decoding through a fixed-size buffer so nothing proportional to the input is
     * allocated.
     */
    static void checkUtf8(byte[] buf, int start, int end) throws SafetensorsException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(buf, start, end - start);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                int at = in.position();
                throw new SafetensorsException(String.format(
                        "header is not valid UTF-8: malformed byte 0x%02X at header byte %d",
                        buf[at] & 0xFF, at - start));
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        CoderResult r = decoder.flush(out);
        if (r.isError()) {
            throw new SafetensorsException("header is not valid UTF-8: truncated sequence at its end");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // pull reading

    /** Byte offset of the next unread byte, from the start of the header. */
    int offset() {
        return pos - start;
    }

    /** Skips JSON whitespace and returns the next byte (0..255) without consuming it, or -1 at the end. */
    int peek() {
        while (pos < end) {
            byte c = buf[pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return c & 0xFF;
            }
        }
        return -1;
    }

    /** Consumes {@code c} if it is the next non-blank byte. */
    boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    /**
     * Consumes {@code c} or fails with "expected {@code what}". Message parts are suppliers so
     * that the happy path builds no strings.
     */
    void expect(char c, Supplier<String> what) throws SafetensorsException {
        if (!tryConsume(c)) {
            throw error("expected " + what.get() + ", got " + describeNext());
        }
    }

    /** Reads a string value; {@code what} says what was expected, for the message. */
    String readString(Supplier<String> what) throws SafetensorsException {
        if (peek() != '"') {
            throw error("expected " + what.get() + " (a string), got " + describeNext());
        }
        int open = pos;
        pos++;
        int segment = pos;
        StringBuilder sb = null;
        while (true) {
            if (pos >= end) {
                pos = open;
                throw error("unterminated string");
            }
            int c = buf[pos] & 0xFF;
            if (c == '"') {
                if (sb == null && pos == segment) {
                    pos++;
                    return "";
                }
                String tail = new String(buf, segment, pos - segment, StandardCharsets.UTF_8);
                pos++;
                return sb == null ? tail : sb.append(tail).toString();
            } else if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(buf, segment, pos - segment, StandardCharsets.UTF_8));
                pos++;
                sb.append(readEscape());
                segment = pos;
            } else if (c < 0x20) {
                throw error(String.format("control character 0x%02X inside a string", c));
            } else {
                pos++;
            }
        }
    }

    private char readEscape() throws SafetensorsException {
        if (pos >= end) {
            throw error("unterminated string");
        }
        byte c = buf[pos++];
        switch (c) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u': {
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = pos < end ? Character.digit(buf[pos] & 0xFF, 16) : -1;
                    if (d < 0) {
                        throw error("invalid \\u escape (needs 4 hex digits)");
                    }
                    v = v * 16 + d;
                    pos++;
                }
                return (char) v;
            }
            default:
                pos--;
                throw error("invalid escape \\" + printableByte(c & 0xFF));
        }
    }

    /**
     * Reads a non-negative integer written without sign, fraction or exponent.
     *
     * @param whatSupplier what the number is, for messages ("dimension 2 of the shape of tensor 'x'")
     * @param max          the largest accepted value
     */
    long readNonNegative(Supplier<String> whatSupplier, long max) throws SafetensorsException {
        int c = peek();
        if (c != '-' && (c < '0' || c > '9')) {
            throw error("expected " + whatSupplier.get() + " (a non-negative integer), got " + describeNext());
        }
        int first = pos;
        while (pos < end && isNumberByte(buf[pos])) {
            pos++;
        }
        boolean digitsOnly = true;
        for (int i = first; i < pos; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                digitsOnly = false;
                break;
            }
        }
        int last = pos;
        Supplier<String> token = () -> new String(buf, first, Math.min(last - first, MAX_QUOTED),
                StandardCharsets.US_ASCII) + (last - first > MAX_QUOTED ? "..." : "");
        if (!digitsOnly) {
            String what = whatSupplier.get();
            pos = first;
            if (c == '-') {
                throw error(what + " must be non-negative, got " + token.get());
            }
            throw error(what + " must be an integer, got " + token.get());
        }
        if (pos - first > 1 && buf[first] == '0') {
            pos = first;
            throw error("invalid number " + token.get() + " for " + whatSupplier.get() + " (leading zero)");
        }
        long v = 0;
        for (int i = first; i < pos; i++) {
            int d = buf[i] - '0';
            if (v > (max - d) / 10) {
                pos = first;
                throw error(whatSupplier.get() + " is too large: " + token.get() + " (at most " + max + ")");
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static boolean isNumberByte(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    /** Fails unless only whitespace is left. */
    void expectEnd(String what) throws SafetensorsException {
        if (peek() != -1) {
            throw error("found " + describeNext() + " after " + what
                    + " (only whitespace padding may follow it)");
        }
    }

    /** Names the next token, for messages: "an object", "a string", "the end of the header"... */
    String describeNext() {
        int c = peek();
        switch (c) {
            case -1: return "the end of the header";
            case '{': return "an object";
            case '[': return "an array";
            case '"': return "a string";
            case 't': case 'f': return "a boolean";
            case 'n': return "null";
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return "a number";
                }
                return "'" + printableByte(c) + "'";
        }
    }

    /** Makes an error that points at the current position. */
    SafetensorsException error(String message) {
        return new SafetensorsException(message + " at header byte " + offset());
    }

    private static String printableByte(int c) {
        return c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("0x%02X", c);
    }

    // ---------------------------------------------------------------------------------------------
    // text helpers

    /**
     * Quotes a file-controlled string for an error message or console output: single quotes,
     * control characters escaped, long text cut short.
     */
    static String quote(String s) {
        return "'" + printable(s) + "'";
    }

    /** Shows a short identifier-like string bare ({@code BF16}) and anything else quoted. */
    static String describe(String s) {
        if (s != null && !s.isEmpty() && s.length() <= 32 && s.chars().allMatch(
                ch -> (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) {
            return s;
        }
        return quote(s);
    }

    /**
     * Escapes control, line-separator and invisible formatting characters (bidi overrides,
     * zero-width spaces) and truncates to a readable length; never returns a line break.
     */
    static String printable(String s) {
        return printable(s, MAX_QUOTED);
    }

    /** Like {@link #printable(String)}, keeping up to {@code max} characters. */
    static String printable(String s, int max) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), max);
        StringBuilder sb = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == '\u2028' || c == '\u2029'
                    || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) && !validPairAt(s, i)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...(").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }

    private static boolean validPairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Appends {@code s} as a JSON string literal. Quotes, backslashes, control characters and
     * unpaired surrogates are escaped; everything else is written as is (to be encoded as UTF-8).
     */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7F || (Character.isSurrogate(c) && !validPairAt(s, i))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
