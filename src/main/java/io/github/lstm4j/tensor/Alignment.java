package io.github.lstm4j.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where in a float array the packed GEMM panels should start so that their 64-byte vector loads
 * do not straddle two cache lines.
 *
 * <p>Why. A Java array's elements start 16 bytes after an 8-byte aligned header, so an AVX-512
 * load of 16 floats is aligned to a 64-byte cache line only if the array happens to lie right,
 * about one array in eight. Otherwise every such load touches two lines. The
 * micro-kernel loads four such vectors of B per k step, and measured on this project's machine it
 * ran 12-14% slower with B misaligned (142-152 against 160-171 GFLOPS for a 4 x 4-vector tile over
 * an L1-resident panel, B at float offsets 0, 4, 8 against 12 of an array whose elements start at
 * byte 16 of a 64-byte line). The panels are written into the buffer starting at the offset this
 * class returns.
 *
 * <p>How. Java gives no address of an array, so this reads the reference through
 * {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, present in every JDK since 9) and decodes
 * it: a full 64-bit address, or a compressed reference whose shift is found once, at class
 * initialisation, from two objects allocated one after the other. The answer is a hint only: a
 * garbage collection may move the array right after it is asked, and nothing computed depends on
 * it (the kernels read the panels at whatever offset they were packed at), only the speed does.
 * It is off ({@code 0} for every array) when {@code Unsafe} cannot be reached, when the reference
 * encoding is not one of those recognised, from JDK 24 on (whose {@code Unsafe} memory-access
 * methods print a warning), and with {@code -Dlstm4j.align=false}.
 */
final class Alignment {

    private static final Logger log = LoggerFactory.getLogger(Alignment.class);

    /** Bytes of the boundary that vector loads should not cross: one AVX-512 vector, one cache line. */
    static final int BYTES = 64;
    /** Floats a buffer needs beyond its content to start the content at an aligned element. */
    static final int SLACK = BYTES / Float.BYTES - 1;

    private static final MethodHandle GET_INT;
    private static final MethodHandle GET_LONG;
    private static final long OBJECT_BASE;
    private static final long FLOAT_BASE;
    private static final boolean COMPRESSED;
    private static final int SHIFT;
    private static final boolean ENABLED;
    /** A one-slot array per thread to read references from, so that a call allocates nothing. */
    private static final ThreadLocal<Object[]> HOLDER = ThreadLocal.withInitial(() -> new Object[1]);

    static {
        MethodHandle getInt = null;
        MethodHandle getLong = null;
        long objectBase = 0;
        long floatBase = 0;
        boolean compressed = false;
        int shift = -1;
        boolean enabled = false;
        String why = "disabled by -Dlstm4j.align=false";
        if (!"false".equalsIgnoreCase(System.getProperty("lstm4j.align", "true"))) {
            why = "JDK " + Runtime.version().feature() + " warns on sun.misc.Unsafe memory access";
            if (Runtime.version().feature() < 24) {
                try {
                    Class<?> type = Class.forName("sun.misc.Unsafe");
                    Field f = type.getDeclaredField("theUnsafe");
                    f.setAccessible(true);
                    Object unsafe = f.get(null);
                    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                    MethodHandle baseOffset = lookup.findVirtual(type, "arrayBaseOffset",
                            MethodType.methodType(int.class, Class.class)).bindTo(unsafe);
                    MethodHandle indexScale = lookup.findVirtual(type, "arrayIndexScale",
                            MethodType.methodType(int.class, Class.class)).bindTo(unsafe);
                    getInt = lookup.findVirtual(type, "getInt",
                            MethodType.methodType(int.class, Object.class, long.class)).bindTo(unsafe);
                    getLong = lookup.findVirtual(type, "getLong",
                            MethodType.methodType(long.class, Object.class, long.class)).bindTo(unsafe);
                    objectBase = (int) baseOffset.invokeExact((Class<?>) Object[].class);
                    floatBase = (int) baseOffset.invokeExact((Class<?>) float[].class);
                    int scale = (int) indexScale.invokeExact((Class<?>) Object[].class);
                    int longArrayBytes = (int) baseOffset.invokeExact((Class<?>) long[].class);
                    compressed = scale == 4;
                    shift = compressed ? compressedShift(getInt, objectBase, longArrayBytes) : 0;
                    enabled = shift >= 0 && (scale == 4 || scale == 8);
                    why = enabled ? (compressed ? "compressed references, shift " + shift : "64-bit references")
                            : "references of an unrecognised encoding";
                } catch (Throwable e) {
                    why = "sun.misc.Unsafe unavailable (" + e + ")";
                }
            }
        }
        GET_INT = getInt;
        GET_LONG = getLong;
        OBJECT_BASE = objectBase;
        FLOAT_BASE = floatBase;
        COMPRESSED = compressed;
        SHIFT = shift;
        ENABLED = enabled;
        log.debug("lstm4j kernels: packed panels {} ({})", enabled ? "aligned to 64 bytes" : "not aligned", why);
    }

    private Alignment() {
    }

    /**
     * The shift of compressed references: two empty {@code long} arrays allocated one after the
     * other lie {@code size} bytes apart, so their references differ by {@code size >> shift}.
     * Allocation can be interrupted (a new buffer for the thread), so the answer must be the same
     * in most of several tries; -1 when it is not, or when it is not 0 or 3.
     */
    private static int compressedShift(MethodHandle getInt, long objectBase, int longArrayBytes) throws Throwable {
        int size = (longArrayBytes + 7) & ~7;
        int[] votes = new int[2];
        for (int attempt = 0; attempt < 16; attempt++) {
            Object[] pair = new Object[2];
            pair[0] = new long[0];
            pair[1] = new long[0];
            long first = Integer.toUnsignedLong((int) getInt.invokeExact((Object) pair, objectBase));
            long second = Integer.toUnsignedLong((int) getInt.invokeExact((Object) pair, objectBase + 4));
            long diff = second - first;
            if (diff == size) {
                votes[0]++;
            } else if (diff == size >> 3) {
                votes[1]++;
            }
        }
        if (votes[0] >= 12) {
            return 0;
        }
        return votes[1] >= 12 ? 3 : -1;
    }

    /** Whether offsets are computed at all (else {@link #floatOffset} is always 0). */
    static boolean enabled() {
        return ENABLED;
    }

    /**
     * The index in {@code 0 .. SLACK} of the first element of {@code array} that lies on a 64-byte
     * boundary at the moment of the call, or 0 when that cannot be known. A hint for speed only.
     *
     * @param array a float array
     * @return an element offset, {@code 0 <= offset <= SLACK}
     */
    static int floatOffset(float[] array) {
        if (!ENABLED) {
            return 0;
        }
        Object[] holder = HOLDER.get();
        holder[0] = array;
        long address;
        try {
            address = COMPRESSED
                    ? Integer.toUnsignedLong((int) GET_INT.invokeExact((Object) holder, OBJECT_BASE)) << SHIFT
                    : (long) GET_LONG.invokeExact((Object) holder, OBJECT_BASE);
        } catch (Throwable e) {
            return 0;
        } finally {
            holder[0] = null;
        }
        int misalignment = (int) ((address + FLOAT_BASE) & (BYTES - 1));
        if (misalignment % Float.BYTES != 0) {
            return 0;
        }
        return ((BYTES - misalignment) & (BYTES - 1)) / Float.BYTES;
    }
}
