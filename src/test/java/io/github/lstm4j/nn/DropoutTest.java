package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import org.junit.jupiter.api.Test;

class DropoutTest {

    @Test
    void trainModeZeroesAboutPAndScalesTheRestByOneOverOneMinusP() {
        Dropout d = new Dropout(0.25, new Generator(9));
        Tensor y = d.forward(Tensor.ones(10000));
        int zeros = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.75f, v, 1e-6f);
            }
        }
        // Binomial(10000, 0.25): mean 2500, sd ~43; 6 sd bounds
        assertTrue(Math.abs(zeros - 2500) < 260, "zeros " + zeros);
    }

    @Test
    void evalModeIsTheIdentity() {
        Dropout d = new Dropout(0.5, new Generator(9));
        d.eval();
        Tensor x = Tensor.ones(100);
        assertSame(x, d.forward(x));
    }

    @Test
    void sameSeedSameMask() {
        Tensor a = new Dropout(0.5, new Generator(4)).forward(Tensor.ones(64));
        Tensor b = new Dropout(0.5, new Generator(4)).forward(Tensor.ones(64));
        assertArrayEquals(a.data(), b.data());
    }

    @Test
    void gradientFlowsOnlyThroughKeptElements() {
        Tensor x = Tensor.ones(50).requiresGrad_(true);
        Tensor y = new Dropout(0.5, new Generator(1)).forward(x);
        y.sum().backward();
        for (int i = 0; i < 50; i++) {
            assertEquals(y.get(i), x.grad().get(i), 0f, "d y_i / d x_i is the mask value");
        }
    }

    @Test
    void probabilityOutsideZeroOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(Double.NaN));
    }
}
