package io.github.lstm4j.tensor;

/**
 * The activation functions of the fused recurrent kernels, in two versions.
 *
 * <ul>
 *   <li>{@link #tanh} and {@link #sigmoid}: float with one rounding from double, within one ulp of
 *       the exact values. The GRU and Elman RNN kernels use them, on every provider.</li>
 *   <li>{@link #kernelTanh} and {@link #kernelSigmoid}: the float arithmetic of
 *       {@link VectorMath}'s vector passes, transcribed for one element: the same constants, the
 *       same operations in the same order, {@link Math#fma} exactly where the vector code fuses,
 *       the same range reduction and clamping. They give the bits of a lane of
 *       {@code VectorMath} for every float argument, so the fused LSTM step
 *       ({@link LstmKernels#forwardRow}) gives the same bits on the plain and the Vector API
 *       providers. Within three float ulps of the exact values; see {@link VectorMath} for the
 *       method.</li>
 * </ul>
 *
 * <p>This class does not need the {@code jdk.incubator.vector} module: the constants live here
 * and {@link VectorMath} reads them from here.
 */
public final class Activations {

    static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 in magnitude to an integer. */
    static final float ROUND = 12582912f;
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n * LN2_HI is exact. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** ln of the smallest normal float: below it, 2^n would leave the normal range. */
    static final float EXP_MIN = -87.33f;
    // e^r = 1 + r + r^2 (E2 + r (E3 + r (E4 + r (E5 + r E6)))), |r| <= ln2/2
    static final float E2 = 0.4999999403953552f;
    static final float E3 = 0.16666509211063385f;
    static final float E4 = 0.04166853055357933f;
    static final float E5 = 0.008370136842131615f;
    static final float E6 = 0.001381149748340249f;
    /** Below this |x|, tanh uses its odd polynomial instead of the exp formula. */
    static final float TANH_POLY_MAX = 0.625f;
    // tanh x = x + x^3 (T0 + x^2 (T1 + x^2 (T2 + x^2 (T3 + x^2 T4)))), |x| < 0.625
    static final float T0 = -0.3333328068256378f;
    static final float T1 = 0.13331443071365356f;
    static final float T2 = -0.05373973026871681f;
    static final float T3 = 0.02063913457095623f;
    static final float T4 = -0.005705032031983137f;

    private Activations() {
    }

    /**
     * {@code tanh} in float, through one {@code exp} evaluated in double: {@code (e - 1) / (e + 1)}
     * with {@code e = exp(2x)}, a short odd series near 0 (where that quotient loses relative
     * accuracy) and {@code ±1} beyond {@code |x| > 10} (where float tanh is already {@code ±1}).
     * Its error is far below one float ulp of the exact value, and it is about three times faster
     * than {@link Math#tanh}, as {@code Math.exp} is a JIT intrinsic and {@code Math.tanh} is not.
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        if (a < 0x1p-6f) {
            double d = x;
            double d2 = d * d;
            return (float) (d * (1.0 - d2 * (1.0 / 3.0 - d2 * (2.0 / 15.0))));
        }
        if (a > 10f) {
            return Math.copySign(1f, x);
        }
        double e = Math.exp(2.0 * x);
        return (float) ((e - 1.0) / (e + 1.0));
    }

    /**
     * The logistic function in float, evaluated in double: without a branch on the sign (which
     * random pre-activations would mispredict half the time), as double {@code exp(-x)} of a float
     * only overflows to infinity where the result is 0 anyway.
     */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /**
     * {@code e^(-scale |x|)} as one lane of {@code VectorMath}'s exp pass: the argument clamped to
     * {@link #EXP_MIN} from below, {@code n = round(a log2 e)} by adding {@link #ROUND}, the
     * reduced argument {@code r = a - n ln2} in two fused steps, a degree-6 polynomial for
     * {@code e^r}, and {@code 2^n} built in the exponent bits. NaN gives NaN.
     *
     * @param x     the argument
     * @param scale 1 for sigmoid, 2 for tanh
     */
    static float expNegAbs(float x, float scale) {
        float a = Math.max(Math.abs(x) * -scale, EXP_MIN);
        float t = Math.fma(a, LOG2E, ROUND);
        float k = t - ROUND;
        float r = Math.fma(k, -LN2_HI, a);
        r = Math.fma(k, -LN2_LO, r);
        float q = Math.fma(r, E6, E5);
        q = Math.fma(r, q, E4);
        q = Math.fma(r, q, E3);
        q = Math.fma(r, q, E2);
        float p = Math.fma(r * r, q, r) + 1f;
        int bits = (Float.floatToRawIntBits(t) - (ROUND_BITS - 127)) << 23;
        return p * Float.intBitsToFloat(bits);
    }

    /**
     * The logistic function with the bits of a lane of {@code VectorMath.sigmoid}:
     * {@code s = 1 / (1 + e)} with {@code e = e^-|x|}, and {@code e * s} for negative x. Arguments
     * below -87.33 give about 1e-38 instead of a subnormal or 0; NaN gives NaN.
     */
    public static float kernelSigmoid(float x) {
        float e = expNegAbs(x, 1f);
        float s = 1f / (e + 1f);
        return x < 0f ? e * s : s;
    }

    /**
     * tanh with the bits of a lane of {@code VectorMath.tanh}: {@code (1 - e) / (1 + e)} with
     * {@code e = e^-2|x|} for {@code |x| >= 0.625}, an odd polynomial below, and the sign bit of
     * x put on the result (so {@code tanh(-0) = -0}). NaN gives NaN.
     */
    public static float kernelTanh(float x) {
        float a = Math.abs(x);
        float mag;
        if (a < TANH_POLY_MAX) {
            float a2 = a * a;
            float w = Math.fma(a2, T4, T3);
            w = Math.fma(a2, w, T2);
            w = Math.fma(a2, w, T1);
            w = Math.fma(a2, w, T0);
            mag = Math.fma(a * a2, w, a);
        } else {
            float e = expNegAbs(x, 2f);
            mag = (-e + 1f) / (e + 1f);
        }
        int sign = Float.floatToRawIntBits(x) & 0x80000000;
        return Float.intBitsToFloat(Float.floatToRawIntBits(mag) | sign);
    }
}
