package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SGD's update rules, worked by hand. */
class SgdTest {

    private static Parameter param(float... v) {
        return new Parameter(Tensor.of(v));
    }

    private static void stepWith(Optimizer opt, Parameter p, float grad) {
        p.setGrad(Tensor.of(grad));
        opt.step();
    }

    @Test
    void plainSgdSubtractsLrTimesGradAndKeepsNoState() {
        Parameter p = param(1f, 2f);
        SGD sgd = new SGD(List.of(p), 0.1);
        p.setGrad(Tensor.of(0.5f, -1f));
        sgd.step();
        assertArrayEquals(new float[] {0.95f, 2.1f}, p.data(), 1e-7f);
        assertTrue(sgd.stateOf(p).isEmpty(), "no momentum, no momentum_buffer");
    }

    @Test
    void momentumBufferStartsAsACopyOfTheGradientThenDampens() {
        // lr 0.1, momentum 0.9, dampening 0.5, g = 0.5 twice:
        //   step 1: buf = g = 0.5 (no dampening on the first step); p = 1 - 0.1 * 0.5 = 0.95
        //   step 2: buf = 0.9 * 0.5 + (1 - 0.5) * 0.5 = 0.7;         p = 0.95 - 0.07 = 0.88
        Parameter p = param(1f);
        SGD sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).dampening(0.5).build();
        Tensor g = Tensor.of(0.5f);
        p.setGrad(g);
        sgd.step();
        assertEquals(0.95f, p.get(0), 1e-7f);
        Tensor buf = sgd.stateOf(p).get("momentum_buffer");
        assertNotSame(g, buf, "the buffer is a clone, not the gradient itself");
        assertEquals(0.5f, buf.item());
        sgd.step();
        assertEquals(0.7f, sgd.stateOf(p).get("momentum_buffer").item(), 1e-7f);
        assertEquals(0.88f, p.get(0), 1e-7f);
    }

    @Test
    void nesterovLooksAheadAlongTheBuffer() {
        // lr 0.1, momentum 0.9, g = 1 twice:
        //   step 1: buf = 1;               d = g + 0.9 * buf = 1.9;   p = 1 - 0.19 = 0.81
        //   step 2: buf = 0.9 * 1 + 1 = 1.9; d = 1 + 0.9 * 1.9 = 2.71; p = 0.81 - 0.271 = 0.539
        Parameter p = param(1f);
        SGD sgd = SGD.builder(List.of(p)).lr(0.1).momentum(0.9).nesterov(true).build();
        p.setGrad(Tensor.of(1f));
        sgd.step();
        assertEquals(0.81f, p.get(0), 1e-7f);
        sgd.step();
        assertEquals(0.539f, p.get(0), 1e-6f);
    }

    @Test
    void weightDecayAddsToTheGradientAndMaximizeFlipsIt() {
        // p = 2, g = 0, weight_decay 0.1, lr 0.5: d = 0 + 0.1 * 2 = 0.2 -> p = 2 - 0.5 * 0.2 = 1.9
        Parameter p = param(2f);
        stepWith(SGD.builder(List.of(p)).lr(0.5).weightDecay(0.1).build(), p, 0f);
        assertEquals(1.9f, p.get(0), 1e-7f);
        // maximize: p = 1 + 0.5 * 2 = 2
        Parameter q = param(1f);
        stepWith(SGD.builder(List.of(q)).lr(0.5).maximize(true).build(), q, 2f);
        assertEquals(2f, q.get(0));
    }
}
