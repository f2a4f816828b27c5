package io.github.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * StepLR, ExponentialLR and CosineAnnealingLR learning-rate sequences against PyTorch 1.13's,
 * printed by make_optim_reference.py (next to this file); each row is {@code get_last_lr()} at
 * epochs 0, 1, 2, ... with {@code optimizer.step(); scheduler.step()} between rows.
 */
class LRSchedulerTest {

    /** An SGD optimizer with one group per base learning rate. */
    static SGD sgd(double... lrs) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : lrs) {
            groups.add(new ParamGroup(List.of(new Parameter(Tensor.of(0f)))).set("lr", lr));
        }
        return SGD.builder(groups).build();
    }

    /** get_last_lr() at epoch 0 (after construction) and after each of {@code epochs} steps. */
    static double[][] sequence(LRScheduler s, int epochs) {
        double[][] out = new double[epochs + 1][];
        out[0] = s.getLastLr();
        for (int e = 1; e <= epochs; e++) {
            s.optimizer().step();
            s.step();
            out[e] = s.getLastLr();
        }
        return out;
    }

    private static void assertRows(double[][] expected, double[][] actual, double relTol) {
        assertEquals(expected.length, actual.length);
        for (int e = 0; e < expected.length; e++) {
            for (int g = 0; g < expected[e].length; g++) {
                assertEquals(expected[e][g], actual[e][g], relTol * Math.abs(expected[e][g]), "epoch " + e + " group " + g);
            }
        }
    }

    @Test
    void stepLrDecaysEveryStepSizeEpochsInEachGroup() {
        // make_optim_reference.py: STEP_LR (step_size=3, gamma=0.5; base 0.1 and 0.02; epochs 0..10)
        double[][] pytorch = {{0.1, 0.02}, {0.1, 0.02}, {0.1, 0.02}, {0.05, 0.01}, {0.05, 0.01}, {0.05, 0.01},
            {0.025, 0.005}, {0.025, 0.005}, {0.025, 0.005}, {0.0125, 0.0025}, {0.0125, 0.0025}};
        assertRows(pytorch, sequence(new StepLR(sgd(0.1, 0.02), 3, 0.5), 10), 0);
    }

    @Test
    void exponentialLrMultipliesEveryEpoch() {
        // make_optim_reference.py: EXPONENTIAL_LR (gamma=0.9; base 0.1; epochs 0..6); the same double
        // multiplications as PyTorch, so the same bits (0.1 * 0.9 = 0.09000000000000001)
        double[][] pytorch = {{0.1}, {0.09000000000000001}, {0.08100000000000002}, {0.07290000000000002},
            {0.06561000000000002}, {0.05904900000000002}, {0.05314410000000002}};
        assertRows(pytorch, sequence(new ExponentialLR(sgd(0.1), 0.9), 6), 0);
    }

    @Test
    void cosineAnnealingFollowsPyTorchsRecursionPastTMax() {
        // make_optim_reference.py: COSINE_LR (T_max=4, eta_min=0.01; base 0.1; epochs 0..12). By hand:
        // epoch 2 = 0.01 + 0.09 (1 + cos(pi/2)) / 2 = 0.055; epoch 4 = eta_min; past T_max the rate
        // climbs back to the base at epoch 8 (period 2 T_max) and falls again.
        double[][] pytorch = {{0.1}, {0.08681980515339464}, {0.05500000000000001}, {0.023180194846605363}, {0.01},
            {0.023180194846605363}, {0.05500000000000002}, {0.08681980515339469}, {0.10000000000000006},
            {0.0868198051533947}, {0.05500000000000005}, {0.023180194846605412}, {0.01}};
        double[][] got = sequence(new CosineAnnealingLR(sgd(0.1), 4, 0.01), 12);
        assertRows(pytorch, got, 1e-12);
        assertEquals(0.055, got[2][0], 1e-15);
    }

    @Test
    void constructionRecordsInitialLrAndResumingNeedsIt() {
        SGD opt = sgd(0.3);
        StepLR s = new StepLR(opt, 2);
        assertEquals(0.3, opt.paramGroups().get(0).getDouble("initial_lr"));
        assertEquals(0, s.lastEpoch());
        assertArrayEquals(new double[] {0.3}, s.baseLrs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(0.1), 2, 0.1, 4));
        assertEquals("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer", e.getMessage());
        // resuming at epoch 4 with initial_lr present: the first step goes to epoch 5
        assertEquals(5, new StepLR(opt, 2, 0.1, 4).lastEpoch());
    }

    @Test
    void cosineResumedAtAnEpochUsesTheClosedForm() {
        SGD opt = sgd(0.1);
        opt.paramGroups().get(0).set("initial_lr", 0.1);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 4, 0.01, 1); // first step: epoch 2
        assertEquals(0.055, s.getLastLr()[0], 1e-15);
    }

    @Test
    void invalidArgumentsAreNamed() {
        SGD opt = sgd(0.1);
        assertEquals("Invalid step_size: 0 (expected >= 1)", message(() -> new StepLR(opt, 0)));
        assertEquals("Invalid gamma: NaN", message(() -> new StepLR(opt, 1, Double.NaN)));
        assertEquals("Invalid gamma: -0.5", message(() -> new ExponentialLR(opt, -0.5)));
        assertEquals("Invalid T_max: 0 (expected >= 1)", message(() -> new CosineAnnealingLR(opt, 0)));
        assertEquals("Invalid eta_min: -1.0", message(() -> new CosineAnnealingLR(opt, 3, -1.0)));
        assertTrue(message(() -> new ExponentialLR(opt, 0.9, -2)).startsWith("Invalid last_epoch: -2"));
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void aSchedulerRestoredFromItsStateDictContinuesTheSameSequence() {
        for (Function<SGD, LRScheduler> make : List.<Function<SGD, LRScheduler>>of(
            o -> new StepLR(o, 3, 0.5), o -> new ExponentialLR(o, 0.9), o -> new CosineAnnealingLR(o, 4, 0.01))) {
            double[][] straight = sequence(make.apply(sgd(0.1, 0.05)), 11);

            SGD opt = sgd(0.1, 0.05);
            LRScheduler first = make.apply(opt);
            sequence(first, 5);
            StateDict optState = opt.stateDict();
            StateDict schedState = first.stateDict();

            SGD opt2 = sgd(0.1, 0.05);
            LRScheduler second = make.apply(opt2);
            opt2.loadStateDict(optState);
            second.loadStateDict(schedState);
            assertEquals(5, second.lastEpoch());
            double[][] rest = sequence(second, 6);
            for (int e = 0; e <= 6; e++) {
                assertArrayEquals(straight[5 + e], rest[e], first.getClass().getSimpleName() + " epoch " + (5 + e));
            }
        }
    }

    @Test
    void steppingTheSchedulerBeforeTheOptimizerIsWarnedAbout() {
        Logger logger = (Logger) LoggerFactory.getLogger(LRScheduler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        boolean additive = logger.isAdditive();
        logger.setAdditive(false); // keep the expected warning off the console
        try {
            SGD opt = sgd(0.1);
            StepLR wrong = new StepLR(opt, 1);
            wrong.step();
            assertEquals(1, appender.list.size());
            assertTrue(appender.list.get(0).getFormattedMessage().contains("before optimizer.step()"));
            StepLR right = new StepLR(sgd(0.1), 1);
            right.optimizer().step();
            right.step();
            assertEquals(1, appender.list.size(), "no warning in the right order");
        } finally {
            logger.detachAppender(appender);
            logger.setAdditive(additive);
        }
    }
}
