package io.github.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The LSTM step's cell candidate {@code g = tanh(a_g)}, which the kernels compute as
 * {@code 2 sigmoid(2 a_g) - 1}: within 2e-7 of the exact tanh (an absolute bound; the
 * identity is exact, the error is the sigmoid's rounding doubled), in both providers, over
 * arguments from tiny to huge, and exactly -1, 1 and NaN where tanh is.
 */
class LstmCandidateTest {

    private static final double BOUND = 2e-7;

    /** g of each argument from one step of the given provider (hidden = number of arguments). */
    private static float[] candidates(KernelProvider p, float[] args) {
        int hidden = args.length;
        float[] gates = new float[4 * hidden];
        System.arraycopy(args, 0, gates, 2 * hidden, hidden);
        float[] c = new float[hidden];
        p.lstmForward(1, hidden, gates, 0, 4 * hidden, null, 0, 0, c, 0, hidden, new float[hidden], 0, hidden,
                new float[hidden], 0, hidden);
        float[] g = new float[hidden];
        System.arraycopy(gates, 2 * hidden, g, 0, hidden);
        return g;
    }

    @Test
    void theCellCandidateIsTanhWithinTwoTenMillionthsInBothProviders() {
        Random rnd = new Random(7);
        float[] args = new float[4050];   // not a multiple of the lane count: a partial last vector
        for (int i = 0; i < args.length; i++) {
            double scale = Math.pow(10, rnd.nextInt(9) - 6);   // 1e-6 .. 100
            args[i] = (float) (rnd.nextGaussian() * scale);
        }
        args[0] = 0f;
        args[1] = -0f;
        args[2] = Float.MIN_VALUE;
        args[3] = 20f;
        args[4] = -20f;
        for (KernelProvider p : providers()) {
            float[] g = candidates(p, args);
            for (int i = 0; i < args.length; i++) {
                double err = Math.abs(g[i] - Math.tanh(args[i]));
                assertTrue(err <= BOUND, p.name() + ": g(" + args[i] + ") = " + g[i] + ", " + err + " from tanh");
            }
            assertEquals(1f, g[3], p.name());
            assertEquals(-1f, g[4], p.name());
        }
    }

    @Test
    void infinitiesGiveOneAndMinusOneAndNaNStaysNaN() {
        float[] args = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (KernelProvider p : providers()) {
            float[] g = candidates(p, args);
            assertEquals(1f, g[0], p.name());
            assertEquals(-1f, g[1], p.name());
            assertTrue(Float.isNaN(g[2]), p.name() + ": " + g[2]);
        }
    }

    private static KernelProvider[] providers() {
        return Kernels.vector().map(v -> new KernelProvider[] {Kernels.plain(), v})
                .orElse(new KernelProvider[] {Kernels.plain()});
    }
}
