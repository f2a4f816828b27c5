package io.github.lstm4j.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.lstm4j.Generator;
import io.github.lstm4j.Tensor;
import io.github.lstm4j.autograd.GradMode;
import io.github.lstm4j.autograd.NoGrad;
import io.github.lstm4j.examples.LSTMModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trained model in eval mode, called under {@code noGrad} from four threads at once, gives
 * exactly the bits of serial calls. What makes this safe: parameters are only read, each op
 * allocates its own result, the GEMM packing buffers are per thread, and grad mode is per thread.
 * What each caller must do: open {@code noGrad} on its own thread (a scope opened elsewhere does
 * not cover it) and leave the model alone (no {@code train()}, {@code eval()}, optimizer step or
 * {@code loadStateDict}) while the threads run.
 */
@SuppressWarnings("try") // no-grad scopes are opened for their effect
class ConcurrentInferenceTest {

    private static final int THREADS = 4;
    private static final int INPUTS_PER_THREAD = 6;
    private static final int ROUNDS = 40;

    private static LSTMModel model;
    private static ExecutorService pool;

    @BeforeAll
    static void trainAModel() {
        model = TutorialTraining.newModel(3, 16);
        TutorialTraining.train(model, 4, 10);
        model.eval();
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stopThePool() {
        pool.shutdownNow();
    }

    /** Thread {@code t}'s inputs: batch and sequence length differ per thread, so workspaces differ too. */
    private static List<Tensor> inputs(int t) {
        Generator gen = new Generator(100 + t);
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < INPUTS_PER_THREAD; i++) {
            xs.add(Tensor.randn(gen, 1 + 3 * t + i, 5 + 2 * i, 1));
        }
        return xs;
    }

    private static int[] predict(Tensor x) {
        return TutorialTraining.bits(model.forward(x));
    }

    @Test
    void fourThreadsAtOnceGetTheBitsOfSerialCalls() throws Exception {
        List<List<Tensor>> inputs = new ArrayList<>();
        List<List<int[]>> serial = new ArrayList<>();
        try (NoGrad ignored = GradMode.noGrad()) {
            for (int t = 0; t < THREADS; t++) {
                inputs.add(inputs(t));
                List<int[]> expected = new ArrayList<>();
                for (Tensor x : inputs.get(t)) {
                    expected.add(predict(x));
                }
                serial.add(expected);
            }
        }
        int[] weightsBefore = TutorialTraining.bits(model.stateDict());
        List<int[]> gradsBefore = grads();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            workers.add(pool.submit(() -> {
                try (NoGrad ignored = GradMode.noGrad()) {
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < INPUTS_PER_THREAD; i++) {
                            Tensor out = model.forward(inputs.get(id).get(i));
                            if (out.requiresGrad() || out.gradFn() != null) {
                                return "thread " + id + " recorded a graph under noGrad";
                            }
                            long diff = TutorialTraining.differing(serial.get(id).get(i), TutorialTraining.bits(out));
                            if (diff != 0) {
                                return "thread " + id + ", round " + round + ", input " + i + ": " + diff
                                    + " values differ from the serial call";
                            }
                        }
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<String> w : workers) {
            assertNull(w.get(120, TimeUnit.SECONDS));
        }
        assertEquals(0, TutorialTraining.differing(weightsBefore, TutorialTraining.bits(model.stateDict())),
            "inference changed no weight");
        List<int[]> gradsAfter = grads();
        for (int i = 0; i < gradsAfter.size(); i++) {
            assertEquals(0, TutorialTraining.differing(gradsBefore.get(i), gradsAfter.get(i)), "inference wrote no gradient");
        }
    }

    /** The bits of every parameter's grad (training left one on each). */
    private static List<int[]> grads() {
        List<int[]> out = new ArrayList<>();
        model.parameters().forEach(p -> out.add(p.grad() == null ? new int[0] : TutorialTraining.bits(p.grad())));
        return out;
    }

    @Test
    void noGradIsPerThreadSoEachWorkerMustOpenItsOwnScope() throws Exception {
        Tensor x = inputs(0).get(0);
        try (NoGrad ignored = GradMode.noGrad()) {
            assertFalse(model.forward(x).requiresGrad(), "this thread records nothing");
            Tensor elsewhere = pool.submit(() -> model.forward(x)).get(60, TimeUnit.SECONDS);
            assertTrue(elsewhere.requiresGrad(), "a pool thread without its own scope records a graph "
                + "(correct values, but memory for backward)");
            assertEquals(0, TutorialTraining.differing(predict(x), TutorialTraining.bits(elsewhere)),
                "same values either way");
        }
    }
}
