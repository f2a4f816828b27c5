package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parameter groups carry their own hyperparameters; defaults fill in the rest. */
class ParamGroupTest {

    @Test
    void eachGroupStepsWithItsOwnLearningRate() {
        Parameter a = new Parameter(Tensor.of(1f));
        Parameter b = new Parameter(Tensor.of(1f));
        SGD sgd = SGD.builder(List.of(
                new ParamGroup(List.of(a)),
                new ParamGroup(List.of(b)).set("lr", 0.01)))
            .lr(0.1)
            .build();
        a.setGrad(Tensor.of(1f));
        b.setGrad(Tensor.of(1f));
        sgd.step();
        assertEquals(0.9f, a.get(0), 1e-7f);
        assertEquals(0.99f, b.get(0), 1e-7f);

        sgd.paramGroups().get(1).setLr(0.5); // like param_groups[1]['lr'] = 0.5
        sgd.step();
        assertEquals(0.8f, a.get(0), 1e-7f);
        assertEquals(0.49f, b.get(0), 1e-7f);
    }

    @Test
    void adamWithTwoGroupsMatchesPyTorch() {
        // Adam([{params: [w]}, {params: [u], lr: 0.01, amsgrad: True}], lr=0.1, betas=(0.8, 0.9), eps=1e-6),
        // gradients at step t: w <- [t - 1.5, 2 - t/4, 0.5 + t], u <- [-1 + 0.75 t, 3 - t]
        Parameter w = new Parameter(Tensor.of(1f, -2f, 0.5f));
        Parameter u = new Parameter(Tensor.of(0.25f, 3f));
        Adam adam = Adam.builder(List.of(
                new ParamGroup(List.of(w)),
                new ParamGroup(List.of(u)).set("lr", 0.01).set("amsgrad", true)))
            .lr(0.1).betas(0.8, 0.9).eps(1e-6)
            .build();
        for (int t = 0; t < 4; t++) {
            w.setGrad(Tensor.of(t - 1.5f, 2f - 0.25f * t, 0.5f + t));
            u.setGrad(Tensor.of(-1f + 0.75f * t, 3f - t));
            adam.step();
        }
        // from make_optim_reference.py (PyTorch 1.13), "ADAM_GROUPS after 4 steps"
        assertArrayEquals(new float[] {1.2000408172607422f, -2.3938777446746826f, 0.11973989754915237f}, w.data(), 1e-6f);
        assertArrayEquals(new float[] {0.2663773000240326f, 2.9650163650512695f}, u.data(), 1e-6f);
        assertTrue(adam.stateOf(u).containsKey("max_exp_avg_sq"));
        assertFalse(adam.stateOf(w).containsKey("max_exp_avg_sq"));
    }

    @Test
    void defaultsFillWhatAGroupLeavesUnsetAndGroupsMayBeAddedLater() {
        Parameter a = new Parameter(Tensor.of(1f));
        Parameter b = new Parameter(Tensor.of(1f));
        Adam adam = Adam.builder(List.of(new ParamGroup(List.of(a)).set("eps", 1e-3))).lr(0.2).build();
        ParamGroup g0 = adam.paramGroups().get(0);
        assertEquals(0.2, g0.lr());
        assertEquals(1e-3, g0.getDouble("eps"));
        assertArrayEquals(new double[] {0.9, 0.999}, g0.getDoubles("betas"));

        adam.addParamGroup(new ParamGroup(List.of(b)).set("lr", 0.05));
        assertEquals(2, adam.paramGroups().size());
        assertEquals(0.05, adam.paramGroups().get(1).lr());
        assertEquals(1e-8, adam.paramGroups().get(1).getDouble("eps"), "defaults, not group 0's override");
        assertThrows(IllegalArgumentException.class, () -> adam.addParamGroup(new ParamGroup(List.of(a))));
        assertThrows(UnsupportedOperationException.class, () -> adam.paramGroups().clear());
    }

    @Test
    void optionsAreTypedAndListsAreCopied() {
        ParamGroup g = new ParamGroup(List.of(new Parameter(Tensor.of(1f))))
            .set("betas", List.of(0.5, 0.6)).set("amsgrad", true).set("lr", 1);
        assertEquals(1.0, g.lr(), "integers are stored as doubles");
        double[] betas = g.getDoubles("betas");
        betas[0] = 9;
        assertArrayEquals(new double[] {0.5, 0.6}, g.getDoubles("betas"));
        assertTrue(g.getBoolean("amsgrad"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.getDouble("amsgrad"));
        assertTrue(e.getMessage().contains("'amsgrad' is true, expected a number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.set("params", 1.0));
        assertTrue(g.toString().contains("betas=[0.5, 0.6]"), g.toString());
    }
}
