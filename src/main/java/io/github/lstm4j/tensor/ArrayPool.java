package io.github.lstm4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float arrays that a caller no longer needs, kept for the next call that needs one of the same
 * length: a training loop asks for the same workspace sizes at every step, and reusing them
 * spares allocating and zeroing megabytes per step (and the collections that follow).
 *
 * <p>{@link #give} is a promise that nothing reads or writes the array any more; the array may
 * be handed out by the next {@link #take}, on any thread. The pool keeps at most
 * {@value #MAX_ARRAYS} arrays and one eighth of the maximum heap; beyond that, the oldest arrays
 * are dropped for the garbage collector. One lock guards it (a few calls per layer and step; a
 * thread-local store was slower, its lookups probing long in a crowded thread-local map).
 */
public final class ArrayPool {

    /** At most this many arrays are kept. */
    static final int MAX_ARRAYS = 64;
    private static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 8;

    /** The free arrays, most recently given last. */
    private static final List<float[]> FREE = new ArrayList<>();
    private static long bytes;

    private ArrayPool() {
    }

    /**
     * An array of exactly {@code length} floats whose contents are arbitrary (a reused array
     * keeps what its last user wrote): the caller must write every element it reads.
     *
     * @param length at least 0
     * @return a reused or new array
     */
    public static float[] take(int length) {
        float[] a = remove(length);
        return a != null ? a : new float[length];
    }

    /**
     * An array of exactly {@code length} zeros.
     *
     * @param length at least 0
     * @return a reused array filled with zeros, or a new one
     */
    public static float[] takeZeroed(int length) {
        float[] a = remove(length);
        if (a == null) {
            return new float[length];
        }
        Arrays.fill(a, 0f);
        return a;
    }

    /**
     * Hands back an array for reuse. The caller must hold the only reference that will ever be
     * used again. Null is ignored.
     *
     * @param a the array, or null
     */
    public static void give(float[] a) {
        if (a == null || a.length == 0) {
            return;
        }
        long size = 4L * a.length;
        synchronized (FREE) {
            // make room by dropping the oldest arrays
            while (!FREE.isEmpty() && (FREE.size() >= MAX_ARRAYS || bytes + size > MAX_BYTES)) {
                bytes -= 4L * FREE.remove(0).length;
            }
            if (size <= MAX_BYTES) {
                FREE.add(a);
                bytes += size;
            }
        }
    }

    private static float[] remove(int length) {
        synchronized (FREE) {
            for (int i = FREE.size() - 1; i >= 0; i--) {
                if (FREE.get(i).length == length) {
                    float[] a = FREE.remove(i);
                    bytes -= 4L * length;
                    return a;
                }
            }
        }
        return null;
    }
}
