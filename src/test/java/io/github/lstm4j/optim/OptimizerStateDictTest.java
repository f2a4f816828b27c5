package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.io.RawTensor;
import io.github.lstm4j.io.Safetensors;
import io.github.lstm4j.io.SafetensorsContent;
import io.github.lstm4j.nn.Parameter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An optimizer saved mid-run and loaded into a fresh one over fresh parameters continues
 * bit-identically, and its state dict has PyTorch's layout.
 */
class OptimizerStateDictTest {

    /** The fixtures' problem, L = sum((W@a - b)^2) + sum(log(1 + (v - c)^2)), from seeded data. */
    private static final class Problem {
        final Tensor a;
        final Tensor b;
        final Tensor c;

        Problem(long seed) {
            Generator gen = new Generator(seed);
            a = Tensor.randn(gen, 3, 2);
            b = Tensor.randn(gen, 4, 2);
            c = Tensor.randn(gen, 5);
        }

        void backward(Parameter w, Parameter v) {
            w.matmul(a).sub(b).pow(2f).sum().add(v.sub(c).pow(2f).add(1f).log().sum()).backward();
        }
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
            Arguments.of("Adam amsgrad + weight decay", (Function<List<Parameter>, Optimizer>) ps ->
                Adam.builder(ps).lr(0.05).betas(0.8, 0.95).weightDecay(0.1).amsgrad(true).build()),
            Arguments.of("AdamW", (Function<List<Parameter>, Optimizer>) ps -> new AdamW(ps, 0.02)),
            Arguments.of("SGD nesterov", (Function<List<Parameter>, Optimizer>) ps ->
                SGD.builder(ps).lr(0.01).momentum(0.9).nesterov(true).weightDecay(0.01).build()));
    }

    private static Parameter[] initialParams() {
        Generator gen = new Generator(7);
        return new Parameter[] {new Parameter(Tensor.randn(gen, 4, 3)), new Parameter(Tensor.randn(gen, 5))};
    }

    private static void train(Optimizer opt, Parameter w, Parameter v, Problem problem, int steps) {
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            problem.backward(w, v);
            opt.step();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void resumingFromAStateDictContinuesBitIdentically(String name, Function<List<Parameter>, Optimizer> make) {
        Problem problem = new Problem(11);
        Parameter[] straight = initialParams();
        Optimizer full = make.apply(List.of(straight));
        train(full, straight[0], straight[1], problem, 12);

        Parameter[] first = initialParams();
        Optimizer before = make.apply(List.of(first));
        train(before, first[0], first[1], problem, 5);
        StateDict saved = before.stateDict();
        // a fresh run: new parameters holding the saved values, a new optimizer, then the saved state
        Parameter[] resumed = {new Parameter(first[0].copy()), new Parameter(first[1].copy())};
        Optimizer after = make.apply(List.of(resumed));
        after.loadStateDict(saved);
        train(after, resumed[0], resumed[1], problem, 7);

        assertArrayEquals(straight[0].data(), resumed[0].data(), name + ": W after 5 + 7 steps");
        assertArrayEquals(straight[1].data(), resumed[1].data(), name + ": v after 5 + 7 steps");
        assertNotEquals(first[0].get(0, 0), straight[0].get(0, 0), "the last 7 steps did move W");
    }

    @Test
    void withoutTheStateTheResumedRunWouldDiverge() {
        // the control for the test above: the same resume without loadStateDict is not bit-identical
        Problem problem = new Problem(11);
        Parameter[] straight = initialParams();
        train(new Adam(List.of(straight), 0.05), straight[0], straight[1], problem, 8);
        Parameter[] first = initialParams();
        train(new Adam(List.of(first), 0.05), first[0], first[1], problem, 4);
        train(new Adam(List.of(first), 0.05), first[0], first[1], problem, 4);
        assertFalse(java.util.Arrays.equals(straight[0].data(), first[0].data()));
    }

    @Test
    void keysFollowPyTorchsStateDictFlattenedToDottedPaths() {
        Parameter w = new Parameter(Tensor.of(1f, 2f));
        Parameter unused = new Parameter(Tensor.of(3f));
        Parameter v = new Parameter(Tensor.of(4f));
        Adam adam = Adam.builder(List.of(new ParamGroup(List.of(w, unused)), new ParamGroup(List.of(v)).set("lr", 0.5)))
            .amsgrad(true).build();
        w.setGrad(Tensor.of(1f, 1f));
        v.setGrad(Tensor.of(1f));
        adam.step();
        StateDict sd = adam.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
            "state.2.step", "state.2.exp_avg", "state.2.exp_avg_sq", "state.2.max_exp_avg_sq"),
            List.copyOf(sd.tensors().keySet()), "parameter 1 never had a gradient, so it has no state");
        assertEquals(1f, sd.tensors().get("state.0.step").item());
        assertEquals(0, sd.tensors().get("state.0.step").dim());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("param_groups.0.params", "[0, 1]");
        expected.put("param_groups.0.lr", "0.001");
        expected.put("param_groups.0.betas", "[0.9, 0.999]");
        expected.put("param_groups.0.eps", "1.0E-8");
        expected.put("param_groups.0.weight_decay", "0.0");
        expected.put("param_groups.0.amsgrad", "true");
        expected.put("param_groups.0.maximize", "false");
        expected.put("param_groups.1.params", "[2]");
        expected.put("param_groups.1.lr", "0.5");
        expected.put("param_groups.1.betas", "[0.9, 0.999]");
        expected.put("param_groups.1.eps", "1.0E-8");
        expected.put("param_groups.1.weight_decay", "0.0");
        expected.put("param_groups.1.amsgrad", "true");
        expected.put("param_groups.1.maximize", "false");
        assertEquals(expected, sd.values());
    }

    @Test
    void theStateDictIsASnapshot() {
        Parameter p = new Parameter(Tensor.of(1f));
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(1f));
        adam.step();
        StateDict sd = adam.stateDict();
        float expAvg = sd.tensors().get("state.0.exp_avg").item();
        adam.step();
        assertEquals(expAvg, sd.tensors().get("state.0.exp_avg").item());
        assertEquals(1f, sd.tensors().get("state.0.step").item());
    }

    @Test
    void loadingRestoresHyperparametersExactly() {
        Parameter p = new Parameter(Tensor.of(1f));
        Adam source = new Adam(List.of(p), 0.1);
        source.paramGroups().get(0).setLr(0.1 / 3); // a double no float32 can hold
        Adam target = new Adam(List.of(new Parameter(Tensor.of(1f))));
        target.loadStateDict(source.stateDict());
        assertEquals(0.1 / 3, target.paramGroups().get(0).lr());
    }

    @Test
    void aStateDictThatDoesNotFitIsRefusedAndNothingChanges() {
        Parameter p = new Parameter(Tensor.of(1f, 2f));
        Adam adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(1f, 1f));
        adam.step();
        StateDict good = adam.stateDict();

        Adam twoGroups = Adam.builder(List.of(new ParamGroup(List.of(new Parameter(Tensor.of(1f, 2f)))),
            new ParamGroup(List.of(new Parameter(Tensor.of(1f)))))).build();
        assertTrue(message(() -> twoGroups.loadStateDict(good)).startsWith(
            "loaded state dict has a different number of parameter groups"));

        Adam wrongShape = new Adam(List.of(new Parameter(Tensor.of(1f, 2f, 3f))));
        assertEquals("loaded state dict: state.0.exp_avg has shape [2] but parameter 0 has shape [3]",
            message(() -> wrongShape.loadStateDict(good)));

        Adam twoParams = new Adam(List.of(new Parameter(Tensor.of(1f, 2f)), new Parameter(Tensor.of(1f))));
        assertTrue(message(() -> twoParams.loadStateDict(good)).startsWith(
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"));

        Map<String, String> badLr = new LinkedHashMap<>(good.values());
        badLr.put("param_groups.0.lr", "-1.0");
        Adam fresh = new Adam(List.of(new Parameter(Tensor.of(1f, 2f))), 0.3);
        assertEquals("loaded state dict, param_groups.0: Invalid learning rate: -1.0",
            message(() -> fresh.loadStateDict(new StateDict(good.tensors(), badLr))));
        assertEquals(0.3, fresh.paramGroups().get(0).lr(), "unchanged after the refused load");
        assertTrue(fresh.stateOf(fresh.paramGroups().get(0).params().get(0)).isEmpty());

        Map<String, Tensor> stray = new LinkedHashMap<>(good.tensors());
        stray.put("exp_avg", Tensor.of(1f));
        assertTrue(message(() -> fresh.loadStateDict(new StateDict(stray, good.values())))
            .startsWith("unexpected key in optimizer state dict: 'exp_avg'"));
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void aStateDictSurvivesASafetensorsFileUnderAPrefix(@TempDir Path dir) throws Exception {
        // what a checkpoint writer does: tensors to tensors, values to __metadata__, under "optimizer."
        Problem problem = new Problem(3);
        Parameter[] ps = initialParams();
        Optimizer opt = Adam.builder(List.of(ps)).lr(0.01).amsgrad(true).build();
        train(opt, ps[0], ps[1], problem, 3);
        StateDict sd = opt.stateDict().prefixed("optimizer.");
        Map<String, RawTensor> raw = new LinkedHashMap<>();
        sd.tensors().forEach((k, t) -> raw.put(k, RawTensor.ofFloats(t.shape(), t.toFloatArray())));
        Path file = dir.resolve("opt.safetensors");
        Safetensors.write(file, raw, sd.values());

        SafetensorsContent content = Safetensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        content.tensors().forEach((k, r) -> tensors.put(k, Tensor.wrap(r.toFloatArray(), r.shape())));
        StateDict back = new StateDict(tensors, content.metadata()).unprefixed("optimizer.");

        Parameter[] copy = {new Parameter(ps[0].copy()), new Parameter(ps[1].copy())};
        Optimizer resumed = Adam.builder(List.of(copy)).build();
        resumed.loadStateDict(back);
        train(opt, ps[0], ps[1], problem, 2);
        train(resumed, copy[0], copy[1], problem, 2);
        assertArrayEquals(ps[0].data(), copy[0].data());
        assertArrayEquals(ps[1].data(), copy[1].data());
    }
}
