package io.github.lstm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.io.SafetensorsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTest {

    /** A two-layer model registered the way a user writes one. */
    static final class TwoLayer extends Module implements Forward {
        final Linear fc1;
        final Linear fc2;
        final Dropout drop;

        TwoLayer(Generator g) {
            fc1 = registerModule("fc1", new Linear(3, 4, true, g));
            drop = registerModule("drop", new Dropout(0.5, g));
            fc2 = registerModule("fc2", new Linear(4, 2, false, g));
        }

        @Override
        public Tensor forward(Tensor x) {
            return fc2.forward(drop.forward(fc1.forward(x).relu()));
        }
    }

    @Test
    void stateDictUsesPyTorchDottedKeysInRegistrationOrder() {
        TwoLayer m = new TwoLayer(new Generator(1));
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight"), List.copyOf(m.stateDict().keySet()));
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(3, m.parameters().size());
        assertArrayEquals(new int[] {4, 3}, m.stateDict().get("fc1.weight").shape());
    }

    @Test
    void sharedParametersAreListedOnce() {
        Generator g = new Generator(2);
        Linear shared = new Linear(2, 2, true, g);
        Module m = new Module() {
            {
                registerModule("a", shared);
                registerModule("b", shared);
            }
        };
        assertEquals(2, m.parameters().size());
        assertEquals(List.of("a.weight", "a.bias"), List.copyOf(m.namedParameters().keySet()));
    }

    @Test
    void loadStateDictCopiesValuesByKey() {
        TwoLayer a = new TwoLayer(new Generator(1));
        TwoLayer b = new TwoLayer(new Generator(2));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.fc1.weight.data(), b.fc1.weight.data());
        assertArrayEquals(a.fc2.weight.data(), b.fc2.weight.data());
        assertTrue(b.fc1.weight.requiresGrad(), "loaded parameters still require grad");
    }

    @Test
    void loadStateDictNamesMissingUnexpectedAndWrongShapedKeysAndChangesNothing() {
        TwoLayer m = new TwoLayer(new Generator(1));
        float[] before = m.fc1.weight.toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
        state.remove("fc1.bias");
        state.put("fc3.weight", Tensor.zeros(1));
        state.put("fc1.weight", Tensor.zeros(4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"fc1.bias\""), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"fc3.weight\""), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatch for fc1.weight: copying a param with shape [4, 5] from "
            + "checkpoint, the shape in current model is [4, 3]"), e.getMessage());
        assertArrayEquals(before, m.fc1.weight.data(), "a failed load must not change the model");
    }

    @Test
    void nonStrictLoadReportsMissingAndUnexpectedKeys() {
        TwoLayer m = new TwoLayer(new Generator(1));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("fc2.weight", Tensor.full(7f, 2, 4));
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult r = m.loadStateDict(state, false);
        assertEquals(List.of("fc1.weight", "fc1.bias"), r.missingKeys());
        assertEquals(List.of("extra"), r.unexpectedKeys());
        assertEquals(7f, m.fc2.weight.get(1, 3));
    }

    @Test
    void nonStrictLoadStillRejectsWrongShapes() {
        TwoLayer m = new TwoLayer(new Generator(1));
        Map<String, Tensor> state = Map.of("fc2.weight", Tensor.zeros(4, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, false));
        assertTrue(e.getMessage().contains("fc2.weight"), e.getMessage());
    }

    @Test
    void saveAndLoadRoundTripBitForBit(@TempDir Path dir) throws IOException {
        TwoLayer a = new TwoLayer(new Generator(5));
        Path file = dir.resolve("model.safetensors");
        a.save(file);
        TwoLayer b = new TwoLayer(new Generator(6));
        b.load(file);
        for (String k : a.stateDict().keySet()) {
            float[] x = a.stateDict().get(k).data();
            float[] y = b.stateDict().get(k).data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), k + "[" + i + "]");
            }
        }
    }

    @Test
    void loadingATruncatedFileFailsWithTheFormatException(@TempDir Path dir) throws IOException {
        TwoLayer a = new TwoLayer(new Generator(5));
        Path file = dir.resolve("model.safetensors");
        a.save(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        TwoLayer b = new TwoLayer(new Generator(6));
        float[] before = b.fc1.weight.toFloatArray();
        assertThrows(SafetensorsException.class, () -> b.load(file));
        assertArrayEquals(before, b.fc1.weight.data());
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        TwoLayer m = new TwoLayer(new Generator(1));
        assertTrue(m.drop.isTraining());
        m.eval();
        assertFalse(m.isTraining());
        assertFalse(m.drop.isTraining());
        m.train();
        assertTrue(m.drop.isTraining());
    }

    @Test
    void zeroGradDropsOrZeroesGradients() {
        TwoLayer m = new TwoLayer(new Generator(1));
        m.eval();
        m.forward(Tensor.ones(2, 3)).sum().backward();
        assertTrue(m.fc2.weight.grad() != null);
        m.zeroGrad(false);
        for (float v : m.fc2.weight.grad().data()) {
            assertEquals(0f, v);
        }
        m.zeroGrad();
        assertNull(m.fc2.weight.grad());
    }

    @Test
    void registeringTheSameNameTwiceOrADottedNameFails() {
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerParameter("w", Tensor.zeros(1));
                registerParameter("w", Tensor.zeros(1));
            }
        });
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            {
                registerModule("a.b", new ReLU());
            }
        });
    }

    @Test
    void registerParameterWrapsATensorAsALeafRequiringGrad() {
        Tensor raw = Tensor.zeros(3);
        Parameter[] holder = new Parameter[1];
        new Module() {
            {
                holder[0] = registerParameter("p", raw);
            }
        };
        assertTrue(holder[0].requiresGrad());
        assertTrue(holder[0].isLeaf());
        assertSame(raw.data(), holder[0].data(), "the parameter shares the tensor's storage");
    }

    @Test
    void toStringNestsChildrenLikePyTorch() {
        String s = new TwoLayer(new Generator(1)).toString();
        assertEquals("TwoLayer(\n  (fc1): Linear(in_features=3, out_features=4, bias=True)\n  (drop): Dropout(p=0.5)\n"
            + "  (fc2): Linear(in_features=4, out_features=2, bias=False)\n)", s);
    }
}
