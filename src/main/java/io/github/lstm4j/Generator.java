package io.github.lstm4j;

import java.util.Arrays;

/**
 * A seeded pseudo-random generator, the counterpart of {@code torch.Generator}: the same seed gives
 * the same bits on every machine and thread count. The algorithm is xoshiro256** seeded through
 * SplitMix64; its whole state is four longs, which {@link #getState()} and {@link #setState(long[])}
 * expose so that a checkpoint can resume a run exactly.
 *
 * <p>Every random draw in lstm4j takes a generator. Module constructors that do not take one draw
 * from {@link #defaultGenerator()}, which starts from seed 0 in every JVM (so runs are reproducible
 * by default) and is reseeded by {@link #manualSeed(long)}, like {@code torch.manual_seed}.
 *
 * <p>Not thread-safe: give each thread its own generator.
 */
public final class Generator {

    private static final Generator DEFAULT = new Generator(0);

    private final long[] s = new long[4];

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        seed(seed);
    }

    /** The process-wide generator used by constructors that are not given one; starts at seed 0. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Reseeds the {@linkplain #defaultGenerator() default generator}, like {@code torch.manual_seed}. */
    public static void manualSeed(long seed) {
        DEFAULT.seed(seed);
    }

    /** Resets this generator to the state that {@code new Generator(seed)} starts in; returns this. */
    public Generator seed(long seed) {
        long x = seed;
        for (int i = 0; i < 4; i++) {
            x += 0x9E3779B97F4A7C15L;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            s[i] = z ^ (z >>> 31);
        }
        return this;
    }

    /** A copy of the four-long state. */
    public long[] getState() {
        return s.clone();
    }

    /**
     * Restores a state taken by {@link #getState()}.
     *
     * @throws IllegalArgumentException unless the state has four longs, not all zero
     */
    public void setState(long[] state) {
        if (state == null || state.length != 4) {
            throw new IllegalArgumentException("generator state must have 4 longs, got "
                + (state == null ? "null" : String.valueOf(state.length)));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("generator state must not be all zeros");
        }
        System.arraycopy(state, 0, s, 0, 4);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s[1] * 5, 7) * 9;
        long t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = Long.rotateLeft(s[3], 45);
        return result;
    }

    /** A float uniform in [0, 1), with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** A double uniform in [0, 1), with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** An int uniform in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** A standard normal draw (Box-Muller, one value per pair of uniforms). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher-Yates permutation of {@code 0..n-1}, like {@code torch.randperm}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public String toString() {
        return "Generator" + Arrays.toString(s);
    }
}
