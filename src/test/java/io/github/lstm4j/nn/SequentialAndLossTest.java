package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialAndLossTest {

    @Test
    void sequentialNamesChildrenByIndexAndChainsThem() {
        Generator g = new Generator(0);
        Linear l1 = new Linear(3, 4, true, g);
        Linear l2 = new Linear(4, 1, true, g);
        Sequential s = new Sequential(l1, new ReLU(), l2, new Sigmoid());
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.stateDict().keySet()));
        Tensor x = Tensor.randn(g, 5, 3);
        Tensor expected = l2.forward(l1.forward(x).relu()).sigmoid();
        assertArrayEquals(expected.data(), s.forward(x).data());
    }

    @Test
    void sequentialRejectsModulesThatAreNotTensorToTensor() {
        assertThrows(IllegalArgumentException.class, () -> new Sequential(new MSELoss()));
    }

    @Test
    void activationModulesApplyTheirFunction() {
        Tensor x = Tensor.of(-1f, 0.5f);
        assertArrayEquals(new float[] {0f, 0.5f}, new ReLU().forward(x).data());
        assertEquals((float) Math.tanh(0.5), new Tanh().forward(x).get(1), 1e-7f);
        assertEquals((float) (1 / (1 + Math.exp(1))), new Sigmoid().forward(x).get(0), 1e-7f);
    }

    @Test
    void mseReductionsMatchHandComputedValues() {
        Tensor pred = Tensor.of(1f, 2f, 4f);
        Tensor target = Tensor.of(0f, 2f, 1f);
        // squared errors 1, 0, 9: mean 10/3, sum 10
        assertEquals(10f / 3f, new MSELoss().forward(pred, target).item(), 1e-6f);
        assertEquals(10f, new MSELoss(Reduction.SUM).forward(pred, target).item(), 1e-6f);
        assertArrayEquals(new float[] {1f, 0f, 9f}, new MSELoss(Reduction.NONE).forward(pred, target).data());
    }

    @Test
    void mseGradientIsTwoTimesErrorOverN() {
        Tensor pred = Tensor.of(1f, 2f, 4f).requiresGrad_(true);
        new MSELoss().forward(pred, Tensor.of(0f, 2f, 1f)).backward();
        // d/dp mean((p - t)^2) = 2 (p - t) / 3 = [2/3, 0, 2]
        assertArrayEquals(new float[] {2f / 3f, 0f, 2f}, pred.grad().data(), 1e-6f);
    }

    @Test
    void mseWithImpossibleShapesNamesBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new MSELoss().forward(Tensor.zeros(2, 3), Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void reductionParsesPyTorchSpellings() {
        assertEquals(Reduction.NONE, Reduction.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> Reduction.parse("avg"));
    }
}
