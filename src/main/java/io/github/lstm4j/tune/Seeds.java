package io.github.lstm4j.tune;

/** Derives independent 64-bit seeds from a search seed, a trial number and a purpose (SplitMix64 finaliser). */
final class Seeds {

    /** Seeds {@link Trial#seed()} hands to the objective. */
    static final long TRIAL = 0x7472_6961_6cL;
    /** Seeds the strategy's proposal for one trial. */
    static final long PROPOSAL = 0x7072_6f70L;

    private Seeds() {
    }

    /** A well-mixed seed for ({@code seed}, {@code trialNumber}, {@code purpose}); distinct inputs give unrelated outputs. */
    static long derive(long seed, int trialNumber, long purpose) {
        long z = mix(seed + 0x9E37_79B9_7F4A_7C15L);
        z = mix(z ^ (trialNumber * 0xBF58_476D_1CE4_E5B9L + 0x632B_E59B_D9B4_E019L));
        return mix(z ^ purpose);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
