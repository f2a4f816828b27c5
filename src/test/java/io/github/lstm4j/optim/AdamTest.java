package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam and AdamW against hand-worked updates; the fixtures' trajectories are checked by PyTorchParityTest. */
class AdamTest {

    private static Parameter param(float... v) {
        return new Parameter(Tensor.of(v));
    }

    @Test
    void firstStepMovesEachCoordinateByLrAgainstTheGradientSign() {
        // m1 = 0.1 g, v1 = 0.001 g^2; bias corrections 0.1 and 0.001 give m^ = g, sqrt(v^) = |g|,
        // so the step is lr * g / (|g| + eps) = 0.1 * sign(g), whatever the gradient's size
        Parameter p = param(1f, -2f, 0.25f);
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(0.5f, -4f, 0.01f));
        adam.step();
        assertArrayEquals(new float[] {0.9f, -1.9f, 0.15f}, p.data(), 1e-6f);
    }

    @Test
    void biasCorrectionKeepsAConstantGradientsStepAtLr() {
        // with g constant, m_t = (1 - 0.9^t) g and v_t = (1 - 0.999^t) g^2, so after bias correction
        // every step is exactly lr * g / |g|: 10 steps of 0.01 from 1.0 reach 0.9. Without the
        // correction the first step alone would be 0.1 * 0.01 * 0.5 / sqrt(0.001 * 0.25) = 0.0032.
        Parameter p = param(1f);
        Adam adam = new Adam(List.of(p), 0.01);
        for (int t = 1; t <= 10; t++) {
            p.setGrad(Tensor.of(0.5f));
            adam.step();
            assertEquals(1.0 - 0.01 * t, p.get(0), 1e-6, "after step " + t);
        }
        assertEquals(10f, adam.stateOf(p).get("step").item());
    }

    @Test
    void stateIsCreatedLazilyAndOnlyForParametersWithAGradient() {
        Parameter a = param(1f, 2f);
        Parameter b = param(3f);
        Adam adam = new Adam(List.of(a, b));
        assertTrue(adam.stateOf(a).isEmpty(), "no state before the first step");
        a.setGrad(Tensor.of(1f, 1f));
        adam.step();
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(adam.stateOf(a).keySet()));
        assertEquals(0, adam.stateOf(a).get("step").dim(), "step is a 0-dim tensor, as in PyTorch");
        assertTrue(adam.stateOf(b).isEmpty(), "b had no grad: skipped, no state");
        assertEquals(3f, b.get(0), "b unchanged");
        assertNull(adam.stateOf(a).get("max_exp_avg_sq"), "no max_exp_avg_sq without amsgrad");
    }

    @Test
    void amsgradNormalisesByTheLargestSecondMomentSoFar() {
        // g1 = 1 then g2 = 0.01 (betas 0.9, 0.999, lr 0.1):
        //   v1 = 0.001, v2 = 0.999 * 0.001 + 0.001 * 1e-4 = 0.0009991 < v1, so amsgrad keeps 0.001
        //   m2 = 0.9 * 0.1 + 0.1 * 0.01 = 0.091
        //   step 2 = (0.1 / (1 - 0.81)) * 0.091 / (sqrt(0.001) / sqrt(1 - 0.998001) + 1e-8)
        Parameter p = param(0f);
        Parameter q = param(0f);
        Adam ams = Adam.builder(List.of(p)).lr(0.1).amsgrad(true).build();
        Adam plain = new Adam(List.of(q), 0.1);
        for (float g : new float[] {1f, 0.01f}) {
            p.setGrad(Tensor.of(g));
            q.setGrad(Tensor.of(g));
            ams.step();
            plain.step();
        }
        assertEquals(0.001f, ams.stateOf(p).get("max_exp_avg_sq").item(), 1e-9f);
        double step2 = (0.1 / (1 - 0.81)) * 0.091 / (Math.sqrt(0.001) / Math.sqrt(1 - 0.998001) + 1e-8);
        assertEquals(-0.1 - step2, p.get(0), 1e-6);
        assertNotEquals(p.get(0), q.get(0), "plain Adam divides by the smaller v2");
    }

    @Test
    void maximizeClimbsTheGradient() {
        Parameter p = param(1f);
        Adam adam = Adam.builder(List.of(p)).lr(0.1).maximize(true).build();
        p.setGrad(Tensor.of(2f));
        adam.step();
        assertEquals(1.1f, p.get(0), 1e-6f);
    }

    @Test
    void adamAddsWeightDecayToTheGradientWhileAdamWShrinksTheParameter() {
        // zero loss gradient, p = 1, lr 0.1, weight_decay 0.5:
        //   Adam:  g = 0 + 0.5 * 1 = 0.5 -> a normal first step of lr against sign(g): p = 0.9
        //   AdamW: p *= 1 - 0.1 * 0.5 = 0.95; m = v = 0, so the Adam part adds 0 / (0 + eps) = 0
        Parameter p = param(1f);
        Parameter q = param(1f);
        Adam adam = Adam.builder(List.of(p)).lr(0.1).weightDecay(0.5).build();
        AdamW adamW = AdamW.builder(List.of(q)).lr(0.1).weightDecay(0.5).build();
        p.setGrad(Tensor.of(0f));
        q.setGrad(Tensor.of(0f));
        adam.step();
        adamW.step();
        assertEquals(0.9f, p.get(0), 1e-6f);
        assertEquals(0.95f, q.get(0));
    }

    @Test
    void adamWDefaultsMatchPyTorch() {
        AdamW w = new AdamW(List.of(param(1f)));
        ParamGroup g = w.paramGroups().get(0);
        assertEquals(1e-3, g.lr());
        assertEquals(1e-2, g.getDouble("weight_decay"));
        assertArrayEquals(new double[] {0.9, 0.999}, g.getDoubles("betas"));
        assertEquals(1e-8, g.getDouble("eps"));
        assertEquals(0.0, new Adam(List.of(param(1f))).paramGroups().get(0).getDouble("weight_decay"));
    }

    @Test
    void stepRunsWithoutRecordingHistoryAndZeroGradDropsGradients() {
        Parameter p = param(1f, 2f);
        Adam adam = new Adam(List.of(p), 0.1);
        Tensor returned = adam.step(() -> {
            adam.zeroGrad();
            Tensor l = p.mul(p).sum();
            l.backward();
            return l;
        });
        assertEquals(5f, returned.item(), "the closure's loss, computed before the update");
        assertTrue(p.isLeaf() && p.gradFn() == null);
        assertEquals(1L, adam.stepCount());
        adam.zeroGrad(false);
        assertArrayEquals(new float[] {0f, 0f}, p.grad().data(), "zeroGrad(false) keeps zero-filled grads");
        adam.zeroGrad();
        assertNull(p.grad(), "zeroGrad() sets grads to null, PyTorch 2's default");
    }
}
