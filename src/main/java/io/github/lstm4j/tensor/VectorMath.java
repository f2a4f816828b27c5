package io.github.lstm4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The logistic function and tanh over runs of a float array, on vectors, for the fused recurrent
 * kernels: within three float ulps of the exact values (2.5 and 1.8 measured over 5.6 million
 * arguments; the scalar {@link Activations#sigmoid} and {@link Activations#tanh} are within one),
 * about the accuracy of PyTorch's own vectorised CPU kernels, at a small fraction of the cost of
 * {@link Math#exp} per element. {@link Activations#kernelSigmoid} and {@link Activations#kernelTanh}
 * are these passes transcribed for one element, with the same bits, for the plain provider.
 *
 * <p>Both rest on {@code exp} of a non-positive argument: {@code x = n ln2 + r} with
 * {@code |r| <= ln2/2} (the constant split in two so that {@code n ln2} is exact), a degree-6
 * polynomial for {@code e^r} fitted for relative error (3.5e-9 before rounding), and {@code 2^n}
 * built in the exponent bits. Arguments below -87.3 give {@code e^-87.3}, the smallest normal
 * float, instead of a subnormal: the logistic function of such arguments is then about 1e-38
 * instead of 0 or a subnormal, which no gradient can tell apart.
 *
 * <h2>Why passes behind one call site</h2>
 * C2 inlines the Vector API's methods into the method it compiles until the method grows past a
 * node budget; every vector operation left out after that runs its Java fallback and allocates.
 * So each function here is cut into two passes of moderate size over a run of the array (the
 * exp into a scratch run, then the rest), every pass is its own {@link Pass} subclass, and all
 * are called through {@link #run}, whose single call site sees them all: a call site with more
 * than two receiver classes is not inlined, so every pass is compiled on its own, within the
 * budget, whatever calls it. A call runs over many rows, so its few nanoseconds are spread. No
 * vector crosses a method boundary; the passes take arrays.
 *
 * <p>Every operation is exactly rounded and independent of the lane, so a value gets the same
 * bits in every lane and on every call. This class must only be loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class VectorMath {

    static final VectorSpecies<Float> S = VectorMicroKernels.S;
    private static final int L = S.length();

    // the constants are Activations', whose kernelSigmoid and kernelTanh repeat these passes
    // for one element with the same bits
    private static final float LOG2E = Activations.LOG2E;
    private static final float ROUND = Activations.ROUND;
    private static final int ROUND_BITS = Activations.ROUND_BITS;
    private static final float LN2_HI = Activations.LN2_HI;
    private static final float LN2_LO = Activations.LN2_LO;
    private static final float EXP_MIN = Activations.EXP_MIN;
    private static final float E2 = Activations.E2;
    private static final float E3 = Activations.E3;
    private static final float E4 = Activations.E4;
    private static final float E5 = Activations.E5;
    private static final float E6 = Activations.E6;
    private static final float TANH_POLY_MAX = Activations.TANH_POLY_MAX;
    private static final float T0 = Activations.T0;
    private static final float T1 = Activations.T1;
    private static final float T2 = Activations.T2;
    private static final float T3 = Activations.T3;
    private static final float T4 = Activations.T4;

    /** Pass numbers for {@link #run}. */
    static final int EXP_NEG_ABS = 0;
    static final int EXP_NEG_2ABS = 1;
    static final int SIGMOID_FROM_EXP = 2;
    static final int TANH_FROM_EXP = 3;
    static final int ADD = 4;
    static final int CELL = 5;
    static final int MUL = 6;

    /** Indexed by pass number; an array element, so that C2 does not see which pass a call runs. */
    private static final Pass[] PASSES = {new ExpNegAbs(1f), new ExpNegAbs(2f), new SigmoidFromExp(),
        new TanhFromExp(), new Add(), new Cell(), new Mul()};

    private VectorMath() {
    }

    /**
     * Runs pass {@code pass} over {@code rows} runs of {@code n} floats ({@code n} a multiple of
     * the lane count), run {@code r} of each operand starting at its offset plus {@code r} times
     * its row stride; the passes' own comments say what they read and write.
     */
    static void run(int pass, int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                    float[] z, int zi, int zRow, int stride) {
        PASSES[pass].run(rows, n, x, xi, xRow, y, yi, yRow, z, zi, zRow, stride);
    }

    /**
     * {@code y = sigmoid(x)} over {@code rows} runs of {@code n} floats, as {@link #run}; {@code y}
     * may be {@code x}. {@code e} is scratch for the same runs and must overlap neither. NaN
     * stays NaN. Writes {@code y} and {@code e}.
     */
    static void sigmoid(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                        float[] e, int ei, int eRow) {
        run(EXP_NEG_ABS, rows, n, x, xi, xRow, e, ei, eRow, null, 0, 0, 0);
        run(SIGMOID_FROM_EXP, rows, n, x, xi, xRow, e, ei, eRow, y, yi, yRow, 0);
    }

    /**
     * {@code y = sigmoid(2x)}, as {@link #sigmoid} (the bits of {@link #sigmoid} of {@code 2x},
     * which is exact): the LSTM's cell candidate {@code tanh(x) = 2 sigmoid(2x) - 1} before
     * {@link #CELL} finishes it.
     */
    static void sigmoidOfTwice(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                               float[] e, int ei, int eRow) {
        run(EXP_NEG_2ABS, rows, n, x, xi, xRow, e, ei, eRow, null, 0, 0, 0);
        run(SIGMOID_FROM_EXP, rows, n, x, xi, xRow, e, ei, eRow, y, yi, yRow, 0);
    }

    /** {@code y = tanh(x)}, as {@link #sigmoid}; odd down to the sign of zero. */
    static void tanh(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                     float[] e, int ei, int eRow) {
        run(EXP_NEG_2ABS, rows, n, x, xi, xRow, e, ei, eRow, null, 0, 0, 0);
        run(TANH_FROM_EXP, rows, n, x, xi, xRow, e, ei, eRow, y, yi, yRow, 0);
    }

    /** One pass over runs of floats. */
    private abstract static class Pass {
        abstract void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                          float[] z, int zi, int zRow, int stride);
    }

    /** {@code y = e^(-scale |x|)}. */
    private static final class ExpNegAbs extends Pass {
        private final float scale;

        ExpNegAbs(float scale) {
            this.scale = scale;
        }

        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            float negScale = -scale;
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                // two vectors at a time, their operations interleaved (the second is the first
                // again when one is left, which the pass may recompute: y is not x): 4.1 -> 3.2 ns
                // a vector over 6400 floats, measured (the division-bound passes below gained
                // nothing so)
                for (int j = 0; j < n; j += 2 * L) {
                    int j2 = Math.min(j + L, n - L);
                    FloatVector a = FloatVector.fromArray(S, x, xo + j).abs().mul(negScale).max(EXP_MIN);
                    FloatVector a2 = FloatVector.fromArray(S, x, xo + j2).abs().mul(negScale).max(EXP_MIN);
                    FloatVector t = a.fma(LOG2E, ROUND);          // ROUND + round(a log2 e)
                    FloatVector t2 = a2.fma(LOG2E, ROUND);
                    FloatVector k = t.sub(ROUND);
                    FloatVector k2 = t2.sub(ROUND);
                    FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_HI), a);
                    FloatVector r2 = k2.fma(FloatVector.broadcast(S, -LN2_HI), a2);
                    r = k.fma(FloatVector.broadcast(S, -LN2_LO), r);
                    r2 = k2.fma(FloatVector.broadcast(S, -LN2_LO), r2);
                    FloatVector q = r.fma(E6, E5);
                    FloatVector q2 = r2.fma(E6, E5);
                    q = r.fma(q, FloatVector.broadcast(S, E4));
                    q2 = r2.fma(q2, FloatVector.broadcast(S, E4));
                    q = r.fma(q, FloatVector.broadcast(S, E3));
                    q2 = r2.fma(q2, FloatVector.broadcast(S, E3));
                    q = r.fma(q, FloatVector.broadcast(S, E2));
                    q2 = r2.fma(q2, FloatVector.broadcast(S, E2));
                    FloatVector p = r.mul(r).fma(q, r).add(1f);
                    FloatVector p2 = r2.mul(r2).fma(q2, r2).add(1f);
                    IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
                    IntVector bits2 = t2.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
                    p.mul(bits.reinterpretAsFloats()).intoArray(y, yo + j);
                    p2.mul(bits2.reinterpretAsFloats()).intoArray(y, yo + j2);
                }
            }
        }
    }

    /** {@code z = sigmoid(x)} from {@code y = e^-|x|}: {@code 1 / (1 + e)}, times e for negative x. */
    private static final class SigmoidFromExp extends Pass {
        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                int zo = zi + row * zRow;
                for (int j = 0; j < n; j += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + j);
                    FloatVector e = FloatVector.fromArray(S, y, yo + j);
                    FloatVector s = one.div(e.add(1f));
                    s.blend(e.mul(s), v.compare(VectorOperators.LT, 0f)).intoArray(z, zo + j);
                }
            }
        }
    }

    /**
     * {@code z = tanh(x)} from {@code y = e^-2|x|}: {@code (1 - e) / (1 + e)} for
     * {@code |x| >= 0.625}, the odd polynomial below, with the sign of x.
     */
    private static final class TanhFromExp extends Pass {
        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                int zo = zi + row * zRow;
                for (int j = 0; j < n; j += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xo + j);
                    FloatVector e = FloatVector.fromArray(S, y, yo + j);
                    FloatVector a = v.abs();
                    FloatVector big = e.neg().add(1f).div(e.add(1f));
                    FloatVector a2 = a.mul(a);
                    FloatVector w = a2.fma(T4, T3);
                    w = a2.fma(w, FloatVector.broadcast(S, T2));
                    w = a2.fma(w, FloatVector.broadcast(S, T1));
                    w = a2.fma(w, FloatVector.broadcast(S, T0));
                    FloatVector small = a.mul(a2).fma(w, a);
                    FloatVector mag = big.blend(small, a.compare(VectorOperators.LT, TANH_POLY_MAX));
                    IntVector sign = v.reinterpretAsInts().lanewise(VectorOperators.AND, 0x80000000);
                    mag.reinterpretAsInts().lanewise(VectorOperators.OR, sign).reinterpretAsFloats()
                            .intoArray(z, zo + j);
                }
            }
        }
    }

    /** {@code x += y}. */
    private static final class Add extends Pass {
        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                for (int j = 0; j < n; j += L) {
                    FloatVector.fromArray(S, x, xo + j).add(FloatVector.fromArray(S, y, yo + j)).intoArray(x, xo + j);
                }
            }
        }
    }

    /**
     * The LSTM cell update {@code y = f * y + i * g}, with i, f and the g block in blocks
     * {@code stride} apart from {@code x[xi]}: the g block holds {@code sigmoid(2a)}, and
     * {@code g = 2 sigmoid(2a) - 1 = tanh(a)} is written over it first.
     */
    private static final class Cell extends Pass {
        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                for (int j = 0; j < n; j += L) {
                    FloatVector i = FloatVector.fromArray(S, x, xo + j);
                    FloatVector f = FloatVector.fromArray(S, x, xo + stride + j);
                    FloatVector g = FloatVector.fromArray(S, x, xo + 2 * stride + j).mul(2f).sub(1f);
                    g.intoArray(x, xo + 2 * stride + j);
                    f.mul(FloatVector.fromArray(S, y, yo + j)).add(i.mul(g)).intoArray(y, yo + j);
                }
            }
        }
    }

    /** {@code z = x * y}. */
    private static final class Mul extends Pass {
        @Override
        void run(int rows, int n, float[] x, int xi, int xRow, float[] y, int yi, int yRow,
                 float[] z, int zi, int zRow, int stride) {
            for (int row = 0; row < rows; row++) {
                int xo = xi + row * xRow;
                int yo = yi + row * yRow;
                int zo = zi + row * zRow;
                for (int j = 0; j < n; j += L) {
                    FloatVector.fromArray(S, x, xo + j).mul(FloatVector.fromArray(S, y, yo + j)).intoArray(z, zo + j);
                }
            }
        }
    }
}
