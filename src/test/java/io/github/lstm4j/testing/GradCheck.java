package io.github.lstm4j.testing;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.GradMode;
import io.github.lstm4j.autograd.NoGrad;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/**
 * Checks autograd gradients against central finite differences.
 *
 * <p>For a function {@code f} of some leaf tensors, {@link #check} builds the scalar
 * {@code L = sum(f(inputs) * R)} with a fixed random {@code R} (uniform in [-1, 1), from a
 * {@link Generator} seeded with {@link #R_SEED}), so every element of a non-scalar output is
 * weighted differently and a gradient routed to the wrong element is caught. It then compares,
 * for every element {@code x_j} of every input that {@linkplain Tensor#requiresGrad() requires a
 * gradient}, the analytic {@code dL/dx_j} from {@link Tensor#backward()} with
 *
 * <pre>
 *   numeric_j = (L(x_j + h) - L(x_j - h)) / (h+ + h-)
 * </pre>
 *
 * where {@code h+ = fl(x_j + h) - x_j} and {@code h- = x_j - fl(x_j - h)} are the steps actually
 * taken in float32 (so the representation error of {@code x_j ± h} does not enter), and {@code L}
 * is accumulated in double from the float32 outputs. {@link #checkScalar} does the same for a
 * function that already returns a one-element tensor, without {@code R}.
 *
 * <h2>Tolerances and why</h2>
 * An element passes when {@code |analytic - numeric| <= atol + rtol * |numeric|}, with
 * <ul>
 *   <li>{@code h = }{@value #DEFAULT_STEP} (see {@link #withStep} to change it): float32 has a unit
 *       round-off {@code u = 2^-24 ≈ 6e-8}, so each evaluation of {@code L} carries an error of a
 *       few {@code u · S}, where {@code S = sum |f_i · R_i|}; dividing a difference of two such values
 *       by {@code 2h} gives a numeric error of order {@code u · S / h}. A smaller {@code h} would let
 *       that term dominate; a larger one lets the truncation error {@code h²/6 · |f'''|} grow.</li>
 *   <li>{@code atol = }{@value #ABS_TOL}{@code  + }{@value #ROUNDOFF_UNITS}{@code  · u · S / h}: the
 *       fixed part covers truncation and the rounding inside {@code f} for values of order one;
 *       the second part is the float32 round-off bound above with a safety factor of
 *       {@value #ROUNDOFF_UNITS} for the roundings inside {@code f} (a length-k sum rounds k times).
 *       For typical test sizes ({@code S ≈ 10}) it is about {@code 3e-3}.</li>
 *   <li>{@code rtol = }{@value #REL_TOL}: relative truncation error of the central difference on
 *       the moderately curved functions used in the tests (for example {@code 1/x} at
 *       {@code x ≥ 0.5}: {@code h²·|f'''| / 6 / |f'| = h² / x² ≤ 4e-4}).</li>
 * </ul>
 * A wrong gradient (a missing term, a factor of two, a transposed or misrouted element) is off by
 * an amount of order {@code |R| ≈ 0.5}, two orders of magnitude above these tolerances.
 *
 * <h2>Kinks</h2>
 * The comparison only means something where {@code f} is differentiable within {@code ±h} of the
 * evaluation point. Choose inputs at least {@code 2h} away from kinks: {@link #awayFromZero} for
 * {@code abs}, {@code relu}, {@code sign}-based norms and for divisors and logarithms;
 * {@link #distinctMagnitudes} (all magnitudes, hence all values, pairwise at least
 * {@value #DISTINCT_GAP} apart) for {@code max}, {@code min}, {@code maximum} and the infinity
 * norm; and for {@code clamp}, bounds inside the range of the values with every value that lies
 * within {@code 5h} of a bound nudged past it, so that both the clamped and the passed-through
 * branches are exercised.
 */
public final class GradCheck {

    /** The default finite-difference step. */
    public static final double DEFAULT_STEP = 1e-2;
    /** The fixed part of the absolute tolerance. */
    public static final double ABS_TOL = 1e-3;
    /** The relative tolerance. */
    public static final double REL_TOL = 2e-2;
    /** Safety factor on the float32 round-off bound {@code u · S / h}. */
    public static final double ROUNDOFF_UNITS = 32;
    /** Seed of the generator that draws the output weights {@code R}. */
    public static final long R_SEED = 20240611L;
    /** The minimum gap between magnitudes drawn by {@link #distinctMagnitudes}. */
    public static final double DISTINCT_GAP = 0.05;

    private static final double FLOAT_UNIT = 0x1.0p-24;
    private static final GradCheck DEFAULT = new GradCheck(DEFAULT_STEP);

    private final double step;

    private GradCheck(double step) {
        this.step = step;
    }

    /**
     * A checker with finite-difference step {@code h}; the tolerances scale with it as described
     * in the class documentation.
     *
     * @throws IllegalArgumentException unless {@code 0 < h <= 0.1}
     */
    public static GradCheck withStep(double h) {
        if (!(h > 0 && h <= 0.1)) {
            throw new IllegalArgumentException("finite-difference step must be in (0, 0.1], got " + h);
        }
        return new GradCheck(h);
    }

    /**
     * Checks the gradients of {@code sum(f(inputs) * R)} with the default step.
     *
     * @param name the op under test, used in failure messages
     * @param f the function; it must not modify its inputs
     * @param inputs leaf tensors; those with {@code requiresGrad} set are checked. Their
     *     {@code grad} is reset to null before and after.
     * @throws AssertionFailedError naming the op, input index, element index, analytic and numeric
     *     values of the first element that fails
     */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        DEFAULT.verify(name, f, inputs);
    }

    /** Like {@link #check} for a function whose result has exactly one element (no weights {@code R}). */
    public static void checkScalar(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        DEFAULT.verifyScalar(name, f, inputs);
    }

    /** {@link #check} with this checker's step. */
    public void verify(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe = evaluateNoGrad(f, inputs);
        Tensor weights = Tensor.uniform(new Generator(R_SEED), -1f, 1f, probe.shape());
        run(name, f, weights, inputs);
    }

    /** {@link #checkScalar} with this checker's step. */
    public void verifyScalar(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe = evaluateNoGrad(f, inputs);
        if (probe.numel() != 1) {
            throw new IllegalArgumentException(name + ": checkScalar needs a one-element result, got shape "
                + Arrays.toString(probe.shape()));
        }
        run(name, f, null, inputs);
    }

    private void run(String name, Function<Tensor[], Tensor> f, Tensor weights, Tensor[] inputs) {
        if (!GradMode.isEnabled()) {
            throw new IllegalStateException(name + ": GradCheck needs grad mode on");
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (!t.isLeaf()) {
                throw new IllegalArgumentException(name + ": GradCheck inputs must be leaves");
            }
            any |= t.requiresGrad();
            t.setGrad(null);
        }
        if (!any) {
            throw new IllegalArgumentException(name + ": no input requires grad, nothing to check");
        }
        float[][] analytic = analytic(f, weights, inputs);
        double scale = weightedMagnitude(evaluateNoGrad(f, inputs), weights);
        double atol = ABS_TOL + ROUNDOFF_UNITS * FLOAT_UNIT * scale / step;
        for (int in = 0; in < inputs.length; in++) {
            Tensor x = inputs[in];
            if (!x.requiresGrad()) {
                continue;
            }
            float[] d = x.data();
            for (int j = 0; j < d.length; j++) {
                float original = d[j];
                float up = (float) (original + step);
                float down = (float) (original - step);
                d[j] = up;
                double lUp = loss(f, weights, inputs);
                d[j] = down;
                double lDown = loss(f, weights, inputs);
                d[j] = original;
                double numeric = (lUp - lDown) / ((double) up - (double) down);
                double a = analytic[in][j];
                double err = Math.abs(a - numeric);
                if (!(err <= atol + REL_TOL * Math.abs(numeric))) {
                    throw new AssertionFailedError(String.format(Locale.ROOT,
                        "%s: gradient of input %d %s at element %d (index %s, value %.6g): analytic %.6g, "
                            + "numeric %.6g, |diff| %.3g > atol %.3g + rtol %.3g * |numeric|",
                        name, in, Arrays.toString(x.shape()), j, Arrays.toString(unravel(j, x.shape())), original,
                        a, numeric, err, atol, REL_TOL), numeric, a);
                }
            }
        }
    }

    private static float[][] analytic(Function<Tensor[], Tensor> f, Tensor weights, Tensor[] inputs) {
        Tensor out = f.apply(inputs);
        Tensor loss = weights == null ? out.reshape() : out.mul(weights).sum();
        if (!loss.requiresGrad()) {
            throw new AssertionFailedError("the result does not require grad although an input does: " + out);
        }
        loss.backward();
        float[][] g = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            Tensor grad = inputs[i].grad();
            if (grad != null && !Arrays.equals(grad.shape(), inputs[i].shape())) {
                throw new AssertionFailedError("gradient of input " + i + " has shape " + Arrays.toString(grad.shape())
                    + " but the input has shape " + Arrays.toString(inputs[i].shape()));
            }
            g[i] = grad == null ? new float[inputs[i].numel()] : grad.toFloatArray();
            inputs[i].setGrad(null);
        }
        return g;
    }

    @SuppressWarnings("try")
    private static Tensor evaluateNoGrad(Function<Tensor[], Tensor> f, Tensor[] inputs) {
        try (NoGrad ignored = GradMode.noGrad()) {
            return f.apply(inputs);
        }
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor weights, Tensor[] inputs) {
        float[] y = evaluateNoGrad(f, inputs).data();
        if (weights == null) {
            return y[0];
        }
        float[] r = weights.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) y[i] * r[i];
        }
        return s;
    }

    private static double weightedMagnitude(Tensor out, Tensor weights) {
        float[] y = out.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += Math.abs((double) y[i] * (weights == null ? 1f : weights.data()[i]));
        }
        return s;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    // ------------------------------------------------------------------ kink-free inputs

    /**
     * A leaf requiring grad with values whose magnitude is uniform in {@code [lo, hi)} and whose
     * sign is random: keeps {@code abs}, {@code relu}, {@code 1/x} and friends at least {@code lo}
     * from their kink or pole.
     */
    public static Tensor awayFromZero(Generator gen, float lo, float hi, int... shape) {
        Tensor t = Tensor.uniform(gen, lo, hi, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (gen.nextFloat() < 0.5f) {
                d[i] = -d[i];
            }
        }
        return t.requiresGrad_(true);
    }

    /** A leaf requiring grad with values uniform in {@code [lo, hi)}, e.g. positive ones for {@code log}. */
    public static Tensor uniform(Generator gen, float lo, float hi, int... shape) {
        return Tensor.uniform(gen, lo, hi, shape).requiresGrad_(true);
    }

    /**
     * A leaf requiring grad whose magnitudes are {@code 0.1 + }{@value #DISTINCT_GAP}{@code · k} for
     * {@code k = 0 .. n-1} in random order, each with a random sign: no two elements are tied in
     * value or magnitude, so {@code max}, {@code min}, {@code maximum} and the infinity norm are
     * differentiable within {@code ±h} for {@code h < }{@value #DISTINCT_GAP}{@code /2}.
     */
    public static Tensor distinctMagnitudes(Generator gen, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        int[] perm = gen.permutation(d.length);
        for (int i = 0; i < d.length; i++) {
            float m = (float) (0.1 + DISTINCT_GAP * perm[i]);
            d[i] = gen.nextFloat() < 0.5f ? -m : m;
        }
        return t.requiresGrad_(true);
    }
}
