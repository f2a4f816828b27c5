package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * clipGradNorm and clipGradValue on two gradients, a = [[3, -4], [1, 0.5]] and b = [-2, 0, 1.5],
 * checked against hand-worked norms and against PyTorch's clipped values (make_optim_reference.py,
 * the "CLIP" lines).
 */
class ClipGradTest {

    private static final float[] A = {3f, -4f, 1f, 0.5f};
    private static final float[] B = {-2f, 0f, 1.5f};

    private final Tensor a = Tensor.zeros(2, 2).requiresGrad_(true);
    private final Tensor b = Tensor.zeros(3).requiresGrad_(true);

    ClipGradTest() {
        a.setGrad(Tensor.of(A, 2, 2));
        b.setGrad(Tensor.of(B));
    }

    private List<Tensor> both() {
        return List.of(a, b);
    }

    private static float[] scaled(float[] g, float coef) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i] * coef;
        }
        return out;
    }

    @Test
    void twoNormIsTheNormOfEveryGradientAsOneVector() {
        // ||a||^2 = 9 + 16 + 1 + 0.25 = 26.25, ||b||^2 = 4 + 2.25 = 6.25, total = sqrt(32.5) = 5.700877...
        float total = ClipGrad.clipGradNorm(both(), 1.0);
        assertEquals(Math.sqrt(32.5), total, 1e-6);
        float coef = 1f / (total + 1e-6f);
        assertArrayEquals(scaled(A, coef), a.grad().data(), 1e-7f);
        assertArrayEquals(scaled(B, coef), b.grad().data(), 1e-7f);
        // after clipping the joint norm is max_norm (up to the 1e-6 guard)
        assertEquals(1.0, Math.sqrt(a.grad().pow(2f).sum().item() + b.grad().pow(2f).sum().item()), 1e-6);
    }

    @Test
    void oneNormSumsAbsoluteValues() {
        // total = (3 + 4 + 1 + 0.5) + (2 + 0 + 1.5) = 12; coef = 2 / 12.000001
        float total = ClipGrad.clipGradNorm(both(), 2.0, 1.0);
        assertEquals(12f, total);
        // PyTorch: a.grad = [0.4999999701976776, -0.6666666269302368, 0.1666666567325592, 0.0833333283662796]
        assertArrayEquals(new float[] {0.4999999701976776f, -0.6666666269302368f, 0.1666666567325592f,
            0.0833333283662796f}, a.grad().data(), 1e-7f);
        assertArrayEquals(new float[] {-0.3333333134651184f, 0f, 0.2499999850988388f}, b.grad().data(), 1e-7f);
    }

    @Test
    void threeNormCombinesPerTensorNorms() {
        // total = (27 + 64 + 1 + 0.125 + 8 + 0 + 3.375)^(1/3) = 103.5^(1/3) = 4.69512...
        float total = ClipGrad.clipGradNorm(both(), 1.0, 3.0);
        assertEquals(Math.cbrt(103.5), total, 1e-6);
        assertEquals(4.6951212882995605f, total, 1e-6f); // PyTorch
        assertArrayEquals(new float[] {0.6389610171318054f, -0.8519480228424072f, 0.2129870057106018f,
            0.1064935028553009f}, a.grad().data(), 1e-6f);
        assertArrayEquals(new float[] {-0.4259740114212036f, 0f, 0.3194805085659027f}, b.grad().data(), 1e-6f);
    }

    @Test
    void infinityNormIsTheLargestMagnitude() {
        // max |g| = 4; coef = 0.5 / (4 + 1e-6)
        float total = ClipGrad.clipGradNorm(both(), 0.5, Double.POSITIVE_INFINITY);
        assertEquals(4f, total);
        assertArrayEquals(new float[] {0.37499991059303284f, -0.49999988079071045f, 0.12499997019767761f,
            0.062499985098838806f}, a.grad().data(), 1e-8f);
        assertArrayEquals(new float[] {-0.24999994039535522f, 0f, 0.18749995529651642f}, b.grad().data(), 1e-8f);
    }

    @Test
    void gradientsWithinTheLimitAreLeftExactlyAsTheyWere() {
        // coef = 10 / 5.70088 > 1 is clamped to 1 and multiplying by 1 changes no bit
        float total = ClipGrad.clipGradNorm(both(), 10.0);
        assertEquals(5.7008771896362305f, total, 1e-6f); // PyTorch
        assertArrayEquals(A, a.grad().data());
        assertArrayEquals(B, b.grad().data());
    }

    @Test
    void tensorsWithoutGradientsAreSkipped() {
        Tensor none = Tensor.zeros(4).requiresGrad_(true);
        List<Tensor> params = new ArrayList<>(both());
        params.add(none);
        assertEquals(Math.sqrt(32.5), ClipGrad.clipGradNorm(params, 1.0), 1e-6);
        assertNull(none.grad());
        assertEquals(0f, ClipGrad.clipGradNorm(List.of(none), 1.0), "no gradients: norm 0");
    }

    @Test
    void aNonFiniteNormThrowsOnlyWhenAskedTo() {
        b.grad().data()[1] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> ClipGrad.clipGradNorm(both(), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertArrayEquals(A, a.grad().data(), "nothing was scaled");
        float total = ClipGrad.clipGradNorm(both(), 1.0, 2.0, false);
        assertTrue(Float.isNaN(total));
        assertTrue(Float.isNaN(a.grad().get(0, 0)), "like PyTorch, the NaN coefficient reaches every gradient");
    }

    @Test
    void invalidNormTypeOrMaxNormIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(both(), 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(both(), 1.0, Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(both(), -1.0));
        assertEquals("Invalid max_norm: -1.0", e.getMessage());
    }

    @Test
    void clipGradValueClampsEachElement() {
        ClipGrad.clipGradValue(both(), 1.0);
        assertArrayEquals(new float[] {1f, -1f, 1f, 0.5f}, a.grad().data());
        assertArrayEquals(new float[] {-1f, 0f, 1f}, b.grad().data());
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(both(), -0.5));
    }
}
