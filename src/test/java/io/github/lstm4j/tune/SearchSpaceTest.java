package io.github.lstm4j.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {

    private static SearchSpace tutorialSpace() {
        return new SearchSpace()
            .choice("hiddenSize", 32, 50, 64, 128)
            .intRange("layers", 1, 3)
            .uniform("dropout", 0, 0.5)
            .logUniform("lr", 1e-4, 1e-2)
            .fixed("epochs", 100);
    }

    @Test
    void samplesStayInsideEveryDimensionAndReadBackWithTypedGetters() {
        SearchSpace space = tutorialSpace();
        SplittableRandom rng = new SplittableRandom(1);
        int[] layerCounts = new int[4];
        int lowDecade = 0;
        for (int i = 0; i < 2000; i++) {
            Params p = space.sample(rng);
            assertEquals(List.of("hiddenSize", "layers", "dropout", "lr", "epochs"), List.copyOf(p.asMap().keySet()));
            assertTrue(List.of(32, 50, 64, 128).contains(p.getInt("hiddenSize")));
            layerCounts[p.getInt("layers")]++;
            double dropout = p.getDouble("dropout");
            assertTrue(dropout >= 0 && dropout <= 0.5, "dropout " + dropout);
            double lr = p.getDouble("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "lr " + lr);
            if (lr < 1e-3) {
                lowDecade++;
            }
            assertEquals(100, p.getInt("epochs"));
        }
        // integers 1..3 each get a third; the log scale puts half of the learning rates in [1e-4, 1e-3]
        for (int k = 1; k <= 3; k++) {
            assertTrue(Math.abs(layerCounts[k] - 667) < 100, "layers=" + k + " drawn " + layerCounts[k] + " times of 2000");
        }
        assertTrue(Math.abs(lowDecade - 1000) < 120, lowDecade + " of 2000 learning rates below 1e-3");
    }

    @Test
    void badBoundsAreRejectedWithMessagesNamingTheParameter() {
        assertMessage("uniform 'dropout': low 0.5 must be < high 0.0", () -> new SearchSpace().uniform("dropout", 0.5, 0));
        assertMessage("logUniform 'lr': low 0.0 must be > 0", () -> new SearchSpace().logUniform("lr", 0, 1e-2));
        assertMessage("intRange 'layers': low 3 must be <= high 1", () -> new SearchSpace().intRange("layers", 3, 1));
        assertMessage("choice 'hiddenSize' needs at least one value", () -> new SearchSpace().choice("hiddenSize"));
        assertMessage("choice 'act' lists a value twice", () -> new SearchSpace().choice("act", "tanh", "tanh"));
        assertMessage("bounds must be finite", () -> new SearchSpace().uniform("x", 0, Double.POSITIVE_INFINITY));
        assertMessage("already has a parameter named 'lr'", () -> new SearchSpace().uniform("lr", 0, 1).uniform("lr", 0, 2));
        assertMessage("non-blank name", () -> new SearchSpace().uniform(" ", 0, 1));
    }

    @Test
    void paramsRejectWrongTypesAndUnknownNames() {
        Params p = tutorialSpace().params(Map.of("hiddenSize", 64, "layers", 2, "dropout", 0.1, "lr", 1e-3, "epochs", 100));
        assertEquals(64, p.getInt("hiddenSize"));
        assertEquals(0.1, p.getDouble("dropout"));
        assertEquals(2.0, p.getDouble("layers"));
        assertEquals(64, p.get("hiddenSize"));
        assertMessage("parameter 'lr' is 0.001 (Double), not an int", () -> p.getInt("lr"));
        assertMessage("no parameter 'momentum'; parameters are [hiddenSize, layers, dropout, lr, epochs]", () -> p.get("momentum"));
        assertMessage("uniform 'dropout': 0.9 is outside [0.0, 0.5]", () -> tutorialSpace().params(
            Map.of("hiddenSize", 64, "layers", 2, "dropout", 0.9, "lr", 1e-3, "epochs", 100)));
        assertMessage("choice 'hiddenSize' has no value 60; choices are [32, 50, 64, 128]", () -> tutorialSpace().params(
            Map.of("hiddenSize", 60, "layers", 2, "dropout", 0.1, "lr", 1e-3, "epochs", 100)));
        assertMessage("no value for parameter 'epochs'", () -> tutorialSpace().params(
            Map.of("hiddenSize", 64, "layers", 2, "dropout", 0.1, "lr", 1e-3)));
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
