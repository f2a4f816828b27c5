package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every hyperparameter is checked when the optimizer is built, with PyTorch's message naming it and its value. */
class HyperparameterValidationTest {

    private final List<Parameter> params = List.of(new Parameter(Tensor.of(1f, 2f)));

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void adamRejectsEachBadValueNamingIt() {
        assertEquals("Invalid learning rate: -1.0", message(() -> new Adam(params, -1.0)));
        assertEquals("Invalid learning rate: NaN", message(() -> Adam.builder(params).lr(Double.NaN).build()));
        assertEquals("Invalid beta parameter at index 0: 1.5", message(() -> Adam.builder(params).betas(1.5, 0.999).build()));
        assertEquals("Invalid beta parameter at index 1: 1.0", message(() -> Adam.builder(params).betas(0.9, 1.0).build()));
        assertEquals("Invalid beta parameter at index 0: NaN", message(() -> Adam.builder(params).betas(Double.NaN, 0.9).build()));
        assertEquals("Invalid beta parameter at index 1: -0.1", message(() -> Adam.builder(params).betas(0.9, -0.1).build()));
        assertEquals("Invalid epsilon value: -1.0E-8", message(() -> Adam.builder(params).eps(-1e-8).build()));
        assertEquals("Invalid epsilon value: NaN", message(() -> Adam.builder(params).eps(Double.NaN).build()));
        assertEquals("Invalid weight_decay value: -0.1", message(() -> Adam.builder(params).weightDecay(-0.1).build()));
    }

    @Test
    void adamWChecksTheSameValues() {
        assertEquals("Invalid learning rate: -0.5", message(() -> new AdamW(params, -0.5)));
        assertEquals("Invalid weight_decay value: NaN", message(() -> AdamW.builder(params).weightDecay(Double.NaN).build()));
        assertEquals("Invalid beta parameter at index 0: 1.0", message(() -> AdamW.builder(params).betas(1.0, 0.9).build()));
    }

    @Test
    void sgdRejectsBadMomentumAndImpossibleNesterov() {
        assertEquals("Invalid learning rate: -0.1", message(() -> new SGD(params, -0.1)));
        assertEquals("Invalid momentum value: -0.5", message(() -> SGD.builder(params).lr(0.1).momentum(-0.5).build()));
        assertEquals("Invalid weight_decay value: -1.0", message(() -> SGD.builder(params).lr(0.1).weightDecay(-1).build()));
        assertEquals("Invalid dampening value: NaN", message(() -> SGD.builder(params).lr(0.1).dampening(Double.NaN).build()));
        String noMomentum = message(() -> SGD.builder(params).lr(0.1).nesterov(true).build());
        assertTrue(noMomentum.startsWith("Nesterov momentum requires a momentum and zero dampening"), noMomentum);
        String dampened = message(() -> SGD.builder(params).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        assertTrue(dampened.contains("dampening 0.1"), dampened);
    }

    @Test
    void sgdNeedsALearningRate() {
        assertEquals("parameter group didn't specify a value of required optimization parameter lr",
            message(() -> SGD.builder(params).momentum(0.9).build()));
        // a group may supply it instead
        SGD ok = SGD.builder(List.of(new ParamGroup(params).set("lr", 0.5))).build();
        assertEquals(0.5, ok.paramGroups().get(0).lr());
    }

    @Test
    void anEmptyParameterListIsRefused() {
        for (Executable e : List.<Executable>of(
            () -> new Adam(List.of()),
            () -> new AdamW(List.of(), 0.1),
            () -> new SGD(List.of(), 0.1),
            () -> Adam.builder(List.<Tensor>of()).build(),
            () -> Optimizers.create("sgd", List.of(), Map.of("lr", 0.1)))) {
            assertEquals("optimizer got an empty parameter list", message(e));
        }
    }

    @Test
    void keywordArgumentsAreCheckedByName() {
        String m = message(() -> Optimizers.create("adam", params, Map.of("momentum", 0.9)));
        assertTrue(m.startsWith("Adam got an unexpected keyword argument 'momentum'"), m);
        assertTrue(message(() -> Optimizers.create("rmsprop", params, Map.of())).startsWith("unknown optimizer 'rmsprop'"));
        String wrongType = message(() -> Adam.builder(params).set("betas", "0.9").build());
        assertTrue(wrongType.contains("betas") && wrongType.contains("\"0.9\""), wrongType);
        String threeBetas = message(() -> Optimizers.create("adam", params, Map.of("betas", List.of(0.9, 0.99, 0.999))));
        assertEquals("Invalid betas: expected 2 values, got [0.9, 0.99, 0.999]", threeBetas);
        String boolAsLr = message(() -> Optimizers.create("sgd", params, Map.of("lr", true)));
        assertTrue(boolAsLr.contains("'lr'") && boolAsLr.contains("expected a number"), boolAsLr);
    }

    @Test
    void groupOverridesAreValidatedToo() {
        ParamGroup bad = new ParamGroup(params).set("lr", -2.0);
        assertEquals("Invalid learning rate: -2.0", message(() -> Adam.builder(List.of(bad)).build()));
        assertEquals("Invalid learning rate: -3.0", message(() -> new ParamGroup(params).setLr(-3.0)));
    }

    @Test
    void parametersMustBeDistinctLeaves() {
        Parameter p = new Parameter(Tensor.of(1f));
        assertEquals("optimizer contains a parameter group with duplicate parameters",
            message(() -> new SGD(List.of(p, p), 0.1)));
        assertEquals("some parameters appear in more than one parameter group",
            message(() -> SGD.builder(List.of(new ParamGroup(List.of(p)), new ParamGroup(List.of(p)))).lr(0.1).build()));
        Tensor nonLeaf = p.mul(2f);
        assertTrue(message(() -> new SGD(List.of(nonLeaf), 0.1)).startsWith("can't optimize a non-leaf Tensor"));
    }
}
